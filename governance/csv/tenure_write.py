"""The write step of the tenure import: a matched batch into the database in bulk, with history.

New persons, companies and sources; then tenures, created and changed, their intervals derived
once from everything the batch holds (evidence, successors); then citations and attested days.
Every created or changed record gets one history row with the importing user and the change
reason, as a save would; derived intervals alone are written without one (as everywhere). Last,
stored predecessors whose successors changed get their possible ends recomputed.
"""

from __future__ import annotations

from collections import defaultdict

from governance.csv.bulk import insert_with_history, next_ids, update_rows, update_with_history
from governance.csv.tenure_match import BatchMatcher, TenureState
from governance.csv.tenure_rows import as_text
from governance.models import Attestation, Citation, Company, Source, Tenure
from governance.models.intervals import Intervals, derive_intervals, latest_evidence
from governance.models.partial_date import PartialDateField
from governance.models.tenures import INTERVAL_FIELDS
from people.models import Person
from records.sql import values_in

_COLUMNS = [field.attname for field in Tenure._meta.concrete_fields]
_CHANGED_FIELDS = [
    "title",
    "end",
    "end_reason",
    "inferred",
    "inferred_note",
    "predecessor_id",
    "single_seat",
    *INTERVAL_FIELDS,
]
_NEW_TENURE_FIELDS = [
    "id",
    "person_id",
    "company_id",
    "role_id",
    "title",
    "start",
    "end",
    "end_reason",
    "inferred",
    "inferred_note",
    "predecessor_id",
    "single_seat",
    *INTERVAL_FIELDS,
    "last_confirmed",
]


def _latest_evidence(state: TenureState):
    """A created tenure's last_confirmed (Tenure.derive_last_confirmed), from the file: its
    attested days (none with a source) and its sources' dates."""
    dates = [source.date for source in state.cited if source.date is not None]
    return latest_evidence(state.new_days, dates)


def _text(date) -> str | None:
    # A partial date as stored: ISO text.
    return None if date is None else date.isoformat()


def _interval_values(intervals: Intervals) -> tuple:
    return (
        intervals.has_certain_days,
        intervals.certain_start,
        intervals.certain_end,
        intervals.possible_start,
        intervals.possible_end,
    )


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _stored_rows(ids: list[int], model=Tenure) -> dict[int, list]:
    """The stored rows' every column (_columns order), partial dates as their ISO text."""
    columns = _columns(model)
    texts = {
        field.attname: as_text(field.attname)
        for field in model._meta.concrete_fields
        if isinstance(field, PartialDateField)
    }
    names = [f"{name}_text" if name in texts else name for name in columns]
    rows = (
        model.objects.filter(pk__in=values_in(ids))
        .annotate(**{f"{name}_text": text for name, text in texts.items()})
        .values_list(*names)
        .order_by()
    )
    return {row[0]: list(row) for row in rows}


def _changed_row(row: list, state: TenureState) -> tuple:
    values = dict(zip(_COLUMNS, row, strict=True))
    values.update(
        title=state.title,
        end=_text(state.end),
        end_reason=state.end_reason,
        inferred=state.inferred,
        inferred_note=state.inferred_note,
        predecessor_id=_final_predecessor_pk(state),
        single_seat=state.single_seat,
    )
    values.update(zip(INTERVAL_FIELDS, _interval_values(state.intervals), strict=True))
    return tuple(values[name] for name in _COLUMNS)


def _certain(intervals: Intervals | None) -> tuple | None:
    return None if intervals is None else _interval_values(intervals)[:3]


def _key(state: TenureState):
    return state.pk if state.pk is not None else state


def _final_predecessor_pk(state: TenureState) -> int | None:
    if state.predecessor_changed:
        return state.predecessor.pk if state.predecessor is not None else None
    return state.predecessor_id


def _sort_name(name: str) -> str:
    # As Person.save() fills it in: "Crossman, Marc B." from "Marc B. Crossman".
    words = name.rsplit(" ", 1)
    return ", ".join(reversed(words)) if len(words) == 2 else name


class BatchWriter:
    def __init__(self, matcher: BatchMatcher, *, user, reason: str):
        self.matcher = matcher
        self.states = [state for state in matcher.touched if state.changed]
        self.history = {"user": user, "reason": reason}

    def write(self, line_of: dict[int, int]) -> None:
        self._create_records()
        self._derive_intervals()
        self._release_seats()
        self._create_tenures()
        self._update_tenures()
        self._create_evidence()
        refresh_intervals(self._predecessors_to_refresh())
        # A created tenure's evidence is all in the file (_create_tenures wrote it); a stored
        # one may have attested days with sources the import does not read: SQL finds them.
        # (Refreshing the created ones too cost 4 s a batch, most of an empty import's time.)
        stored = [state.pk for state in self.states if not state.created]
        if stored:
            Tenure.objects.filter(pk__in=values_in(stored)).refresh_last_confirmed()
        for state in self.matcher.touched:
            line_of[state.pk] = state.line

    # -- persons, companies, sources ------------------------------------------------------------

    def _create_records(self) -> None:
        lookup = self.matcher.lookup
        persons = lookup.persons.created
        self._insert(
            Person,
            ["id", "name", "sort_name", "slug", "search_key", "cik"],
            persons,
            [(r.name, _sort_name(r.name), r.slug, r.key, r.cik) for r in persons],
        )
        companies = lookup.companies.created
        self._insert(
            Company,
            ["id", "name", "slug", "cik"],
            companies,
            [(r.name, r.slug, r.cik) for r in companies],
        )
        self._give_ciks(Person, lookup.persons.cik_given)
        self._give_ciks(Company, lookup.companies.cik_given)
        sources = lookup.sources.created
        self._insert(
            Source,
            ["id", "kind", "title", "url"],
            sources,
            [(Source.Kind.OTHER.value, r.title, r.url) for r in sources],
        )

    def _give_ciks(self, model, records: list) -> None:
        """Stored persons or companies the batch gave a CIK: one history row each."""
        if not records:
            return
        columns = _columns(model)
        stored = _stored_rows([record.pk for record in records], model)
        position = columns.index("cik")
        rows = []
        for record in records:
            row = stored[record.pk]
            row[position] = record.cik
            rows.append(tuple(row))
        update_with_history(model, columns, rows, ["cik"], **self.history)

    def _insert(self, model, fields: list[str], records: list, values: list[tuple]) -> None:
        """Insert one row per record (its values after the id), and give each record its pk."""
        ids = next_ids(model, len(records))
        for record, pk in zip(records, ids, strict=True):
            record.pk = pk
        rows = [(pk, *row) for pk, row in zip(ids, values, strict=True)]
        insert_with_history(model, fields, rows, **self.history)

    # -- intervals ------------------------------------------------------------------------------

    def _successor_starts(self) -> dict:
        """Certain starts of each written tenure's successors, by _key(predecessor): stored
        successors as they will stand, and the batch's own."""
        starts = defaultdict(list)
        by_pk = {state.pk: state for state in self.matcher.touched if state.pk is not None}
        stored = [state.pk for state in self.states if state.pk is not None]
        if stored:
            successors = Tenure.objects.filter(predecessor_id__in=values_in(stored))
            for pk, predecessor_id, has_certain_days, certain_start in successors.values_list(
                "pk", "predecessor_id", "has_certain_days", "certain_start"
            ):
                state = by_pk.get(pk)
                if state is None:
                    if has_certain_days:
                        starts[predecessor_id].append(certain_start)
                elif not state.predecessor_changed and state.certain().has_certain_days:
                    starts[predecessor_id].append(state.certain().certain_start)
        for state in self.matcher.touched:
            if state.predecessor_changed and state.predecessor is not None:
                if state.certain().has_certain_days:
                    starts[_key(state.predecessor)].append(state.certain().certain_start)
        return starts

    def _derive_intervals(self) -> None:
        """Each written tenure's intervals, once, from all its facts (its certain interval,
        found when its row was matched, depends on no other tenure's)."""
        starts = self._successor_starts()
        for state in self.states:
            source_days = [source.date.last for source in state.cited if source.date is not None]
            state.intervals = derive_intervals(
                start=state.start,
                end=state.end,
                ended=state.end is not None or bool(state.end_reason),
                attested_days=state.stored_days | set(state.new_days),
                latest_source_day=max(source_days, default=None),
                founded=state.company.founded,
                successor_certain_start=min(starts.get(_key(state), ()), default=None),
            )

    def _release_seats(self) -> None:
        """Single-seat tenures whose certain days change leave the PostgreSQL exclusion
        constraint until they are written, so that no order of the writes below can make two
        of them meet half-way (the rows were checked against each other in file order)."""
        moving = [
            state.pk
            for state in self.states
            if state.pk is not None
            and state.single_seat
            and _certain(state.intervals) != _certain(state.stored_intervals)
        ]
        if moving:
            Tenure.objects.filter(pk__in=values_in(moving)).update(has_certain_days=False)

    # -- tenures --------------------------------------------------------------------------------

    def _create_tenures(self) -> None:
        created = [state for state in self.states if state.created]
        # Keys first: a tenure may succeed one created in the same batch.
        for state, pk in zip(created, next_ids(Tenure, len(created)), strict=True):
            state.pk = pk
        rows = [
            (
                state.pk,
                state.person.pk,
                state.company.pk,
                state.role.pk,
                state.title,
                _text(state.start),
                _text(state.end),
                state.end_reason,
                state.inferred,
                state.inferred_note,
                _final_predecessor_pk(state),
                state.role.single_seat,
                *_interval_values(state.intervals),
                _text(_latest_evidence(state)),
            )
            for state in created
        ]
        insert_with_history(Tenure, _NEW_TENURE_FIELDS, rows, **self.history)

    def _update_tenures(self) -> None:
        changed = [state for state in self.states if not state.created and state.fields_changed]
        if changed:
            stored = _stored_rows([state.pk for state in changed])
            rows = [_changed_row(stored[state.pk], state) for state in changed]
            update_with_history(Tenure, _COLUMNS, rows, _CHANGED_FIELDS, **self.history)
        quiet = [
            (state.pk, *_interval_values(state.intervals))
            for state in self.states
            if not state.created
            and not state.fields_changed
            and state.intervals != state.stored_intervals
        ]
        update_rows(Tenure, ["id", *INTERVAL_FIELDS], quiet)

    def _create_evidence(self) -> None:
        citations = [
            (state.pk, source.pk, position)
            for state in self.states
            for source, position in state.new_citations
        ]
        ids = next_ids(Citation, len(citations))
        rows = [(pk, *row) for pk, row in zip(ids, citations, strict=True)]
        insert_with_history(
            Citation, ["id", "tenure_id", "source_id", "position"], rows, **self.history
        )
        days = [(state.pk, day) for state in self.states for day in state.new_days]
        ids = next_ids(Attestation, len(days))
        rows = [(pk, *row) for pk, row in zip(ids, days, strict=True)]
        insert_with_history(Attestation, ["id", "tenure_id", "day"], rows, **self.history)

    def _predecessors_to_refresh(self) -> set[int]:
        """Stored predecessors not written here whose successors this batch added, moved or
        changed the certain start of: their possible ends move."""
        refresh = set()
        for state in self.states:
            if state.predecessor_changed:
                refresh |= {state.predecessor_id, _final_predecessor_pk(state)}
            elif _certain(state.intervals) != _certain(state.stored_intervals):
                refresh.add(state.predecessor_id)
        return refresh - {None} - {state.pk for state in self.states}


def refresh_intervals(ids: set[int]) -> None:
    """Recompute these tenures' stored intervals from the database, in a fixed number of
    queries, and write those that changed (without history rows: they are derived)."""
    if not ids:
        return
    days = defaultdict(list)
    for tenure_id, day in Attestation.objects.filter(tenure_id__in=values_in(ids)).values_list(
        "tenure_id", "day"
    ):
        days[tenure_id].append(day)
    source_days = defaultdict(list)
    for tenure_id, date in Citation.objects.filter(
        tenure_id__in=values_in(ids), source__date__isnull=False
    ).values_list("tenure_id", "source__date"):
        source_days[tenure_id].append(date.last)
    successor_starts = defaultdict(list)
    for predecessor_id, certain_start in Tenure.objects.filter(
        predecessor_id__in=values_in(ids), has_certain_days=True
    ).values_list("predecessor_id", "certain_start"):
        successor_starts[predecessor_id].append(certain_start)
    changed = []
    facts = Tenure.objects.filter(pk__in=values_in(ids)).values_list(
        "pk", "start", "end", "end_reason", "company__founded", *INTERVAL_FIELDS
    )
    for pk, start, end, end_reason, founded, *stored in facts:
        intervals = derive_intervals(
            start=start,
            end=end,
            ended=end is not None or bool(end_reason),
            attested_days=days[pk],
            latest_source_day=max(source_days[pk], default=None),
            founded=founded,
            successor_certain_start=min(successor_starts[pk], default=None),
        )
        if _interval_values(intervals) != tuple(stored):
            changed.append((pk, *_interval_values(intervals)))
    update_rows(Tenure, ["id", *INTERVAL_FIELDS], changed)
