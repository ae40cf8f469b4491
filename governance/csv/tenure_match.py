"""The match step of the tenure import: a batch's rows against the record, one row at a time in
memory, after the batch's lookups were fetched in a fixed number of queries.

Each row sees the record as the rows before it left it (what they created, changed, cited), as
it did when rows were written one by one: a duplicate of an earlier line, a `replaces` naming an
earlier line's tenure, a single-seat clash with an earlier line. A rejected row leaves no trace.
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator

from django.db import connection

from governance.csv.import_result import ImportResult, RowError
from governance.csv.matching import (
    BatchLookup,
    Record,
    RecordIndex,
    SourceRecord,
    ambiguity,
    cik_conflict,
    values_in,
)
from governance.csv.tenure_rows import NamedRecord, ParsedRow, as_text, parse_date
from governance.models import Attestation, Citation, Company, Role, Tenure
from governance.models.intervals import Intervals, derive_intervals
from governance.models.partial_date import PartialDate, start_key
from people.models import Person

_TENURE_FIELDS = (
    "pk",
    "person_id",
    "person__name",
    "person__slug",
    "company_id",
    "company__name",
    "company__slug",
    "company__founded",
    "role_id",
    "title",
    "start",
    "end",
    "end_reason",
    "predecessor_id",
    "single_seat",
    "has_certain_days",
    "certain_start",
    "certain_end",
    "possible_start",
    "possible_end",
    "inferred",
    "inferred_note",
    "person__cik",
    "company__cik",
)


def _tenure_values(queryset) -> Iterator[tuple]:
    """_TENURE_FIELDS of each tenure, partial dates as their stored text (parsed once each by
    parse_date, not once a row)."""
    texts = {name: as_text(name) for name in ("start", "end", "company__founded")}
    fields = [f"{name}_text" if name in texts else name for name in _TENURE_FIELDS]
    return (
        queryset.annotate(**{f"{name}_text": text for name, text in texts.items()})
        .values_list(*fields)
        .order_by()
        .iterator(chunk_size=5000)
    )


def _holders(lookup: BatchLookup, rows: list[ParsedRow]) -> set[tuple[int, int]]:
    """(person, company) pairs of stored records that rows may name together: each row's
    person, and the person it replaces, at its company."""
    pairs = set()
    for row in rows:
        companies = _stored(lookup.companies, row.company)
        if not companies:
            continue
        persons = _stored(lookup.persons, row.person)
        if row.replaces.strip() or row.replaces_slug:
            persons += lookup.persons.find(row.replaces, row.replaces_slug)
        pairs.update(
            (person.pk, company.pk)
            for person in persons
            if person.pk is not None
            for company in companies
            if company.pk is not None
        )
    return pairs


def _stored(index: RecordIndex, named: NamedRecord) -> list[Record]:
    return [] if named.problem is not None else index.find(named.name, named.slug, named.cik)


def _held_by(pairs: set[tuple[int, int]]) -> list[int]:
    """Ids of the tenures of these (person, company) pairs, the pairs one parameter: an index
    lookup each (persons x companies would be thousands times more)."""
    if not pairs:
        return []
    table = connection.ops.quote_name(Tenure._meta.db_table)
    if connection.vendor == "postgresql":
        people, companies = zip(*pairs, strict=True)
        source = "unnest(%s::bigint[], %s::bigint[]) AS p(person_id, company_id)"
        params = [list(people), list(companies)]
    else:
        source = (
            "(SELECT json_extract(value, '$[0]') AS person_id,"
            " json_extract(value, '$[1]') AS company_id FROM json_each(%s)) AS p"
        )
        params = [json.dumps(sorted(pairs))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id FROM {table} AS t JOIN {source}"
            " ON t.person_id = p.person_id AND t.company_id = p.company_id",
            params,
        )
        return [pk for (pk,) in cursor.fetchall()]


# Pending tenures sort after stored ones in "first conflict" order, in the order made.
_NEW_ORDER = itertools.count(1 << 62)


def describe_tenure(
    person: str, company: str, role: Role, title: str, start, end, end_reason, intervals
) -> str:
    """str(tenure), from values at hand: the model's own wording."""
    tenure = Tenure(
        person=Person(name=person),
        company=Company(name=company),
        role=role,
        title=title,
        start=start,
        end=end,
        end_reason=end_reason,
        has_certain_days=intervals.has_certain_days,
        certain_start=intervals.certain_start,
        certain_end=intervals.certain_end,
    )
    return str(tenure)


def certain_intervals(start, end, end_reason: str, days) -> Intervals:
    """The certain interval (it depends on nothing else: not on sources nor successors)."""
    return derive_intervals(
        start=start, end=end, ended=end is not None or bool(end_reason), attested_days=days
    )


class TenureState:
    """A tenure as this import sees it: stored (pk) or new, with what the batch adds to it."""

    __slots__ = (
        "pk",
        "person",
        "company",
        "role",
        "title",
        "start",
        "end",
        "end_reason",
        "inferred",
        "inferred_note",
        "predecessor_id",
        "predecessor",
        "predecessor_changed",
        "single_seat",
        "intervals",
        "stored_intervals",
        "stored_days",
        "cited",
        "new_days",
        "new_citations",
        "line",
        "order",
        "created",
        "fields_changed",
    )

    def __init__(self, pk, person: Record, company: Record, role: Role, start, stored=None):
        """stored: the stored row's (title, end, end_reason, predecessor_id, single_seat,
        intervals, inferred, inferred_note) for a tenure the database holds."""
        self.pk = pk
        self.person = person
        self.company = company
        self.role = role
        self.start = start
        self.predecessor: TenureState | None = None
        self.predecessor_changed = False
        self.stored_days: set[datetime.date] = set()
        self.cited: dict[SourceRecord, int] = {}
        self.new_days: list[datetime.date] = []
        self.new_citations: list[tuple[SourceRecord, int]] = []
        self.line: int | None = None
        self.created = pk is None
        self.fields_changed = False
        if stored is None:
            self.order = next(_NEW_ORDER)
            self.title, self.end, self.end_reason = "", None, ""
            self.inferred, self.inferred_note = "", ""
            self.predecessor_id, self.single_seat = None, role.single_seat
            self.intervals = self.stored_intervals = None
        else:
            self.order = pk
            self.title, self.end, self.end_reason, self.predecessor_id = stored[:4]
            self.single_seat, self.intervals, self.inferred, self.inferred_note = stored[4:]
            self.stored_intervals = self.intervals

    def certain(self) -> Intervals:
        """Its intervals, derived from its facts now if they changed (then only the certain
        interval is meaningful: it depends on nothing but the tenure's own facts)."""
        if self.intervals is None:
            self.intervals = certain_intervals(
                self.start, self.end, self.end_reason, self.stored_days | set(self.new_days)
            )
        return self.intervals

    @property
    def key(self) -> tuple:
        return (self.person, self.company, self.role.pk, self.start)

    @property
    def changed(self) -> bool:
        """Anything to write: new, changed fields, or new evidence."""
        return self.created or self.fields_changed or bool(self.new_days or self.new_citations)

    def describe(self) -> str:
        return describe_tenure(
            self.person.name,
            self.company.name,
            self.role,
            self.title,
            self.start,
            self.end,
            self.end_reason,
            self.certain(),
        )

    def __str__(self) -> str:
        return self.describe()


class TenureIndex:
    """The tenures a batch's rows may meet: by (person, company, role, start), by holder for
    `replaces`, and by seat (company, role) for the single-seat rule."""

    def __init__(self, roles: dict[int, Role]):
        self.roles = roles
        self.by_pk: dict[int, TenureState] = {}
        self.by_key: dict[tuple, TenureState] = {}
        self.by_holder: dict[tuple, list[TenureState]] = defaultdict(list)
        self.by_seat: dict[tuple, list[TenureState]] = defaultdict(list)

    def add(self, state: TenureState) -> None:
        if state.pk is not None:
            self.by_pk[state.pk] = state
        self.by_key[state.key] = state
        self.by_holder[(state.person, state.company, state.role.pk)].append(state)
        if state.role.single_seat or state.single_seat:
            self.by_seat[(state.company, state.role.pk)].append(state)

    def stored(self, row: tuple, lookup: BatchLookup, line_of: dict[int, int]) -> TenureState:
        (pk, person_id, person, person_slug, company_id, company, company_slug, founded) = row[:8]
        (role_id, title, start, end, end_reason, predecessor_id, single_seat) = row[8:15]
        (inferred, inferred_note, person_cik, company_cik) = row[20:]
        state = self.by_pk.get(pk)
        if state is not None:
            return state
        state = TenureState(
            pk,
            lookup.persons.stored(person_id, person, person_slug, cik=person_cik),
            lookup.companies.stored(
                company_id, company, company_slug, founded=parse_date(founded), cik=company_cik
            ),
            self.roles[role_id],
            parse_date(start),
            stored=(
                title,
                parse_date(end),
                end_reason,
                predecessor_id,
                single_seat,
                Intervals(*row[15:20]),
                inferred,
                inferred_note,
            ),
        )
        state.line = line_of.get(pk)
        self.add(state)
        return state

    def fetch(self, lookup: BatchLookup, rows: list[ParsedRow], line_of: dict[int, int]) -> None:
        """Stored tenures of the batch's persons at its companies, the single-seat tenures at
        its companies, and the attested days and citations of those the rows may update."""
        companies = list(lookup.companies.by_pk)
        if not companies:
            return
        held = _held_by(_holders(lookup, rows))
        if held:
            for row in _tenure_values(Tenure.objects.filter(pk__in=values_in(held))):
                self.stored(row, lookup, line_of)
        seats = {row.role.pk for row in rows if row.role is not None and row.role.single_seat}
        if seats:
            sitting = Tenure.objects.filter(
                company_id__in=values_in(companies),
                role_id__in=values_in(seats),
                single_seat=True,
                has_certain_days=True,
            )
            for row in _tenure_values(sitting):
                self.stored(row, lookup, line_of)
        self._fetch_evidence(lookup, rows)

    def _fetch_evidence(self, lookup: BatchLookup, rows: list[ParsedRow]) -> None:
        wanted = {(row.role.pk, row.start) for row in rows if row.role is not None}
        ids = [
            state.pk
            for state in self.by_pk.values()
            if (state.role.pk, state.start) in wanted and state.line is None
        ]
        if not ids:
            return
        for tenure_id, day in Attestation.objects.filter(tenure_id__in=values_in(ids)).values_list(
            "tenure_id", "day"
        ):
            self.by_pk[tenure_id].stored_days.add(day)
        citations = (
            Citation.objects.filter(tenure_id__in=values_in(ids))
            .annotate(source_date=as_text("source__date"))
            .values_list(
                "tenure_id", "position", "source_id", "source__title", "source__url", "source_date"
            )
            .order_by()
        )
        for tenure_id, position, source_id, title, url, date in citations:
            source = lookup.sources.stored(source_id, title, url, parse_date(date))
            self.by_pk[tenure_id].cited[source] = position

    def seat(self, company: Record, role: Role) -> list[TenureState]:
        return self.by_seat.get((company, role.pk), [])


def _overlaps(mine: Intervals, other: Intervals) -> bool:
    """TenureQuerySet.single_seat_conflicts for one pair: sharing two or more certain days."""
    if other.certain_end is None:
        overlap = True
    else:
        overlap = other.certain_end > mine.certain_start and other.certain_end > other.certain_start
    if mine.certain_end is not None:
        overlap = overlap and other.certain_start < mine.certain_end
    return overlap


def _first_order(state: TenureState) -> tuple:
    # Tenure's Meta ordering (start, id), as .first() reads it: NULL starts sort last on
    # PostgreSQL and first on SQLite.
    nulls = (1, 0) if connection.vendor == "postgresql" else (0, 1)
    start = state.start.isoformat() if state.start is not None else ""
    return (nulls[0] if state.start is None else nulls[1], start, state.order)


def _describe(start: PartialDate | None) -> str:
    return start.isoformat() if start else "(unknown)"


def _show(value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, PartialDate):
        return value.isoformat()
    return str(value)


class _Proposal:
    """What a row would make of its tenure, before the single-seat check lets it."""

    def __init__(self, row: ParsedRow, person, company, tenure, predecessor):
        self.row = row
        self.person = person
        self.company = company
        self.tenure = tenure
        self.predecessor = predecessor
        self.title = row.title or row.role.name

    def certain(self) -> Intervals:
        stored_days = self.tenure.stored_days if self.tenure is not None else set()
        days = stored_days | set(self.row.days)
        return certain_intervals(self.row.start, self.row.end, self.row.end_reason, days)


class BatchMatcher:
    """Matches a batch's rows in line order; what they would write is left in the index and
    the lookup (new records, new evidence), their errors and actions in the result."""

    def __init__(
        self,
        lookup: BatchLookup,
        tenures: TenureIndex,
        result: ImportResult,
    ):
        self.lookup = lookup
        self.tenures = tenures
        self.result = result
        self.touched: list[TenureState] = []
        # Changes naming a stored predecessor this batch did not load: (changes, index, pk).
        self.pending_labels: list[tuple[list[str], int, int]] = []

    def match(self, row: ParsedRow) -> None:
        errors = list(row.errors)
        person = self._record(self.lookup.persons, row.person, errors, row.line)
        company = self._record(self.lookup.companies, row.company, errors, row.line)
        if errors:
            self.result.errors += errors
            return
        tenure = (
            self.tenures.by_key.get((person, company, row.role.pk, row.start))
            if person is not None and company is not None
            else None
        )
        if tenure is not None and tenure.line is not None:
            errors.append(
                RowError(
                    row.line,
                    "person",
                    row.person.name,
                    f"duplicate row: line {tenure.line} has the same person, company, role "
                    f"({row.role.slug}) and start ({_describe(row.start)})",
                )
            )
        predecessor = self._predecessor(row, company, errors)
        if errors:
            self.result.errors += errors
            return
        proposal = _Proposal(row, person, company, tenure, predecessor)
        if clash := self._clash(proposal):
            self.result.errors.append(clash)
            return
        self._commit(proposal)

    # -- names ----------------------------------------------------------------------------------

    @staticmethod
    def _record(index: RecordIndex, named: NamedRecord, errors: list[RowError], line: int):
        """The stored (or earlier-created) record the row names; None: to be created."""
        if named.problem is not None:
            errors.append(named.problem)
            return None
        matches = index.find(named.name, named.slug, named.cik)
        if len(matches) > 1:
            errors.append(
                RowError(
                    line, named.column, named.name, ambiguity(named.column, named.column, matches)
                )
            )
            return None
        if not matches:
            return None
        if reason := cik_conflict(named.column, matches[0], named.slug, named.cik):
            errors.append(RowError(line, f"{named.column}_cik", named.cik, reason))
            return None
        return matches[0]

    def _predecessor(self, row: ParsedRow, company, errors: list[RowError]):
        if not row.replaces.strip() and not row.replaces_slug:
            return None
        previous = self._replaced_person(row, errors)
        if previous is None:
            return None
        if row.start is None:
            errors.append(
                RowError(
                    row.line,
                    "replaces",
                    row.replaces,
                    "this tenure's start is unknown, so no tenure can come before it",
                )
            )
            return None
        held = self.tenures.by_holder.get((previous, company, row.role.pk), [])
        candidates = [state for state in held if start_key(state.start) < start_key(row.start)]
        if not candidates:
            errors.append(
                RowError(
                    row.line,
                    "replaces",
                    row.replaces,
                    f"names nobody: {previous} has no {row.role} tenure at "
                    f"{row.company.name} starting before {row.start}",
                )
            )
            return None
        return max(candidates, key=lambda state: start_key(state.start))

    def _replaced_person(self, row: ParsedRow, errors: list[RowError]) -> Record | None:
        matches = self.lookup.persons.find(row.replaces, row.replaces_slug)
        if row.replaces_slug and not matches:
            reason = "names nobody: no person has this slug"
            errors.append(RowError(row.line, "replaces_slug", row.replaces_slug_cell, reason))
        elif len(matches) > 1:
            errors.append(
                RowError(
                    row.line, "replaces", row.replaces, ambiguity("person", "replaces", matches)
                )
            )
        elif not matches:
            reason = "names nobody: no person has this name"
            errors.append(RowError(row.line, "replaces", row.replaces, reason))
        return matches[0] if len(matches) == 1 else None

    # -- the single-seat rule -------------------------------------------------------------------

    def _clash(self, proposal: _Proposal) -> RowError | None:
        row = proposal.row
        if not row.role.single_seat or proposal.company is None:
            return None
        mine = proposal.certain()
        if not mine.has_certain_days or mine.certain_start == mine.certain_end:
            # A single certain day shares at most one day with anything: a hand-over.
            return None
        clashes = [
            other
            for other in self.tenures.seat(proposal.company, row.role)
            if other is not proposal.tenure
            and other.single_seat
            and other.certain().has_certain_days
            and _overlaps(mine, other.certain())
        ]
        if not clashes:
            return None
        other = min(clashes, key=_first_order)
        where = (
            f"line {other.line} ({other})"
            if other.line is not None
            else f"the stored tenure {other}"
        )
        return RowError(
            row.line,
            "start",
            _describe(row.start),
            f"{row.role} is a single-seat role and this tenure would overlap {where} "
            "by two or more certain days",
        )

    # -- what an accepted row makes -------------------------------------------------------------

    def _commit(self, proposal: _Proposal) -> None:
        row = proposal.row
        changes: list[str] = []
        person, company = proposal.person, proposal.company
        if person is None:
            person = self.lookup.persons.create(row.person.name, row.person.slug, row.person.cik)
            changes.append(f"new person {person.name} ({person.slug})")
        else:
            self._give_cik(self.lookup.persons, person, row.person, changes)
        if company is None:
            company = self.lookup.companies.create(
                row.company.name, row.company.slug, row.company.cik
            )
            changes.append(f"new company {company.name} ({company.slug})")
        else:
            self._give_cik(self.lookup.companies, company, row.company, changes)
        tenure = proposal.tenure
        if tenure is None:
            tenure = TenureState(None, person, company, row.role, row.start)
        self._set_fields(tenure, proposal, changes)
        if tenure.created:
            self.tenures.add(tenure)
        self._cite(tenure, row.references, changes)
        new_days = sorted(set(row.days) - tenure.stored_days)
        tenure.new_days = new_days
        if tenure.fields_changed or new_days:
            tenure.intervals = None  # derived again from the facts as the row left them
        if not tenure.created:
            changes += [f"attested day added: {day.isoformat()}" for day in new_days]
        tenure.line = row.line
        self.touched.append(tenure)
        action = "create" if tenure.created else ("update" if changes else "unchanged")
        self.result.record(action, row.line, tenure.describe, changes)

    @staticmethod
    def _give_cik(index: RecordIndex, record: Record, named: NamedRecord, changes) -> None:
        # A matched record takes the row's CIK when it has none (_record refused any other).
        if named.cik and not record.cik:
            index.give_cik(record, named.cik)
            changes.append(f"{named.column} {record.name}: CIK set to {named.cik}")

    def _set_fields(self, tenure: TenureState, proposal: _Proposal, changes: list[str]) -> None:
        row = proposal.row
        fields = [("title", proposal.title), ("end", row.end), ("end_reason", row.end_reason)]
        # Set as the file writes them where it has the columns; kept as stored where not.
        if row.inferred is not None:
            fields.append(("inferred", row.inferred))
        if row.inferred_note is not None:
            fields.append(("inferred_note", row.inferred_note))
        for name, new in fields:
            old = getattr(tenure, name)
            if old != new:
                if not tenure.created:
                    changes.append(f"{name}: {_show(old)} → {_show(new)}")
                    tenure.fields_changed = True
                setattr(tenure, name, new)
        self._set_predecessor(tenure, proposal.predecessor, changes)
        if tenure.fields_changed:
            # As Tenure.save() does: the copy of the role's flag is refreshed with the tenure.
            tenure.single_seat = tenure.role.single_seat

    def _set_predecessor(self, tenure: TenureState, new: TenureState | None, changes) -> None:
        old_id = tenure.predecessor_id
        if new is not None and new.pk is not None and new.pk == old_id:
            return
        if new is None and old_id is None:
            return
        tenure.predecessor = new
        tenure.predecessor_changed = True
        if tenure.created:
            return
        tenure.fields_changed = True
        old = self.tenures.by_pk.get(old_id) if old_id is not None else None
        changes.append(f"predecessor: {_show(old)} → {_show(new)}")
        if old_id is not None and old is None:
            self.pending_labels.append((changes, len(changes) - 1, old_id))

    def _cite(self, tenure: TenureState, references: list[str], changes: list[str]) -> None:
        position = max(tenure.cited.values(), default=-1) + 1
        for reference in references:
            source = self.lookup.sources.find(reference)
            if source is None:
                source = self.lookup.sources.create(reference)
                changes.append(f"new source {reference}")
            if source not in tenure.cited:
                tenure.cited[source] = position
                tenure.new_citations.append((source, position))
                position += 1
                if not tenure.created:
                    changes.append(f"source added: {reference}")

    def label_stored_predecessors(self) -> None:
        """Fill in the names of stored predecessors a change left: one query for the batch."""
        if not self.pending_labels:
            return
        ids = {pk for _, _, pk in self.pending_labels}
        fields = ("pk", "person__name", "company__name", "role_id", "title", "start", "end")
        fields += ("end_reason", "has_certain_days", "certain_start", "certain_end")
        labels = {}
        for (
            pk,
            person,
            company,
            role_id,
            title,
            start,
            end,
            reason,
            *certain,
        ) in Tenure.objects.filter(pk__in=values_in(ids)).values_list(*fields):
            intervals = Intervals(*certain, None, None)
            role = self.tenures.roles[role_id]
            labels[pk] = describe_tenure(
                person, company, role, title, start, end, reason, intervals
            )
        for changes, index, pk in self.pending_labels:
            after = changes[index].partition(" → ")[2]
            changes[index] = f"predecessor: {labels.get(pk, '(none)')} → {after}"
