"""The write step of the tenure import: a matched batch into the database in bulk, with history.

New persons, companies and sources; then tenures, created and changed, their intervals derived
once from everything the batch holds (evidence, successors); then citations and attested days.
Every created or changed record gets one history row with the importing user and the change
reason, as a save would; derived intervals alone are written without one (as everywhere). Last,
stored predecessors whose successors changed get their possible ends recomputed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance.csv.matching import Record, values_in
from governance.csv.tenure_match import BatchMatcher, TenureState
from governance.models import Attestation, Citation, Company, Source, Tenure
from governance.models.intervals import Intervals, derive_intervals
from governance.models.tenures import INTERVAL_FIELDS
from people.models import Person

# Rows per UPDATE: Django's bulk_update writes a CASE with a branch per row, which costs
# quadratic time past a few hundred rows.
UPDATE_BATCH = 500
_TENURE_FIELDS = ["title", "end", "end_reason", "predecessor", "single_seat", *INTERVAL_FIELDS]


def _certain(intervals: Intervals | None) -> tuple | None:
    return None if intervals is None else dataclasses.astuple(intervals)[:3]


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
        self.history = {"default_user": user, "default_change_reason": reason}

    def write(self, line_of: dict[int, int]) -> None:
        self._create_records()
        self._derive_intervals()
        self._release_seats()
        self._create_tenures()
        self._update_tenures()
        self._create_evidence()
        refresh_intervals(self._predecessors_to_refresh())
        for state in self.matcher.touched:
            line_of[state.pk] = state.line

    # -- persons, companies, sources ------------------------------------------------------------

    def _create_records(self) -> None:
        lookup = self.matcher.lookup
        self._create(
            lookup.persons.created,
            lambda record: Person(
                name=record.name,
                slug=record.slug,
                sort_name=_sort_name(record.name),
                search_key=record.key,
            ),
        )
        self._create(
            lookup.companies.created,
            lambda record: Company(name=record.name, slug=record.slug),
        )
        self._create(
            lookup.sources.created,
            lambda record: Source(kind=Source.Kind.OTHER, title=record.title, url=record.url),
        )

    def _create(self, records: list[Record], build) -> None:
        if not records:
            return
        objs = [build(record) for record in records]
        bulk_create_with_history(objs, type(objs[0]), **self.history)
        for record, obj in zip(records, objs, strict=True):
            record.pk = obj.pk

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
                elif not state.predecessor_changed and state.intervals.has_certain_days:
                    starts[predecessor_id].append(state.intervals.certain_start)
        for state in self.matcher.touched:
            if state.predecessor_changed and state.predecessor is not None:
                if state.intervals.has_certain_days:
                    starts[_key(state.predecessor)].append(state.intervals.certain_start)
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
        """bulk_create_with_history in its two steps, with the links to predecessors created
        by the same batch filled in between, so the history rows hold them too."""
        created = [state for state in self.states if state.created]
        if not created:
            return
        objs = [
            Tenure(
                person_id=state.person.pk,
                company_id=state.company.pk,
                role=state.role,
                title=state.title,
                start=state.start,
                end=state.end,
                end_reason=state.end_reason,
                predecessor_id=_final_predecessor_pk(state),
                single_seat=state.role.single_seat,
                **dataclasses.asdict(state.intervals),
            )
            for state in created
        ]
        Tenure.objects.bulk_create(objs)
        late = []
        for state, obj in zip(created, objs, strict=True):
            state.pk = obj.pk
        for state, obj in zip(created, objs, strict=True):
            if state.predecessor is not None and obj.predecessor_id is None:
                obj.predecessor_id = state.predecessor.pk
                late.append(obj)
        if late:
            Tenure.objects.bulk_update(late, ["predecessor"], batch_size=UPDATE_BATCH)
        Tenure.history.bulk_history_create(objs, **self.history)

    def _update_tenures(self) -> None:
        changed = [state for state in self.states if not state.created and state.fields_changed]
        if changed:
            stored = Tenure.objects.filter(pk__in=values_in(state.pk for state in changed))
            objs = {obj.pk: obj for obj in stored}
            for state in changed:
                obj = objs[state.pk]
                obj.title, obj.end, obj.end_reason = state.title, state.end, state.end_reason
                obj.predecessor_id = _final_predecessor_pk(state)
                obj.single_seat = state.single_seat
                for name, value in dataclasses.asdict(state.intervals).items():
                    setattr(obj, name, value)
            bulk_update_with_history(
                list(objs.values()), Tenure, _TENURE_FIELDS, batch_size=UPDATE_BATCH, **self.history
            )
        quiet = [
            Tenure(pk=state.pk, **dataclasses.asdict(state.intervals))
            for state in self.states
            if not state.created
            and not state.fields_changed
            and state.intervals != state.stored_intervals
        ]
        if quiet:
            Tenure.objects.bulk_update(quiet, INTERVAL_FIELDS, batch_size=UPDATE_BATCH)

    def _create_evidence(self) -> None:
        citations = [
            Citation(tenure_id=state.pk, source_id=source.pk, position=position)
            for state in self.states
            for source, position in state.new_citations
        ]
        if citations:
            bulk_create_with_history(citations, Citation, **self.history)
        attestations = [
            Attestation(tenure_id=state.pk, day=day)
            for state in self.states
            for day in state.new_days
        ]
        if attestations:
            bulk_create_with_history(attestations, Attestation, **self.history)

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
        if dataclasses.astuple(intervals) != tuple(stored):
            changed.append(Tenure(pk=pk, **dataclasses.asdict(intervals)))
    if changed:
        Tenure.objects.bulk_update(changed, INTERVAL_FIELDS, batch_size=UPDATE_BATCH)
