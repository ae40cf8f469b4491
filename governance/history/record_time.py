"""The record as it stood at a moment of record time (DESIGN.md, "Two times").

`?recorded=` on a page (governance.forms.MomentField) names a moment; the functions here rebuild a company's or a person's tenures from the history tables as they
stood at that moment, in a fixed number of queries whatever the number of tenures.

What they return are Tenure instances filled from historical rows, with their person,
company, role, predecessor, citations (with sources), attestations and successors already in
place, so pages and exports use them exactly as live tenures (`tenure.citations.all()` runs
no query). Their intervals are recomputed with derive_intervals from the historical facts:
the stored interval columns of a history row are those of its own last save, and derived
columns are refreshed without history rows. They are snapshots: never save them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from governance.models import (
    Attestation,
    Citation,
    Company,
    Role,
    Source,
    Tenure,
    Transaction,
    TransactionParty,
    TransactionSource,
)
from governance.models.intervals import Intervals
from people.models import Person
from records.history import latest_rows
from records.sql import values_in

# -- Records as they stood ---------------------------------------------------------------


def rows_as_of(model: type[models.Model], moment: datetime.datetime, condition: Q) -> list:
    """Model instances as they stood at moment, for records matching condition then."""
    # Built from the history rows' values, not through historical instances: half the objects
    # (a company of 1,000 tenures rebuilds a thousand records of several models).
    names = [field.attname for field in model._meta.concrete_fields]
    rows = _latest(model, moment, condition)
    return [model.from_db(rows.db, names, values) for values in rows.values_list(*names)]


def _latest(model: type[models.Model], moment: datetime.datetime, condition: Q):
    rows = latest_rows(model.history.model, condition, moment)
    return rows.filter(condition, ~Q(history_type="-")).order_by()


def values_as_of(
    model: type[models.Model], moment: datetime.datetime, condition: Q, fields
) -> list[tuple]:
    """rows_as_of as tuples of fields (named as the model names them): no instances built."""
    return list(_latest(model, moment, condition).values_list(*fields))


def records_as_of(model, moment, ids: Iterable[int]) -> dict[int, models.Model]:
    """
    Records by id as they stood at moment. A record with no history row at all (the role
    catalogue, seeded by a data migration) predates history: it is read from its live table.
    """
    ids = set(ids) - {None}
    if not ids:
        return {}
    found = {obj.pk: obj for obj in rows_as_of(model, moment, Q(id__in=values_in(ids)))}
    missing = ids - set(found)
    if missing:
        with_history = model.history.filter(id__in=missing).values("id")
        found |= {
            obj.pk: obj
            for obj in model._default_manager.filter(pk__in=missing).exclude(pk__in=with_history)
        }
    return found


@functools.cache
def _empty(model: type[models.Model]) -> models.QuerySet:
    return model._base_manager.none()


def _set_related(obj: models.Model, name: str, items: list) -> None:
    """Fill a reverse relation's prefetch cache, so obj.<name>.all() returns items unqueried."""
    # Not the related manager's get_queryset(): on a historical instance it builds an as_of()
    # query, 16 ms each, 50 s for a company of 1,000 tenures.
    relation = getattr(type(obj), name).rel
    # A shallow copy of one empty QuerySet per model (its query is never changed in place):
    # building each anew with none(), which clones a query, took a third of a rebuild.
    empty = _empty(relation.related_model)
    queryset = object.__new__(type(empty))
    queryset.__dict__.update(empty.__dict__, _result_cache=list(items), _prefetch_done=True)
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[relation.cache_name] = queryset


def tenures_as_of(
    moment: datetime.datetime,
    condition: Q,
    known: Iterable[models.Model] = (),
    named: set[int] | None = None,
) -> list[Tenure]:
    """
    The tenures matching condition as recorded at moment, each with person, company, role,
    predecessor, citations (with sources), attestations and successors in place, and its
    intervals derived from the facts recorded then. Eight queries, whatever the number, fewer
    where known holds records already rebuilt at moment (a page's company and roles).

    named: the ids of the tenures whose predecessors are wanted (None: all); the others get
    none (a page names the predecessors of the tenures it lists, not of those it counts).
    """
    rebuilt: dict[type, dict[int, models.Model]] = {}
    for record in known:
        rebuilt.setdefault(type(record), {})[record.pk] = record

    def as_of(model, ids) -> dict[int, models.Model]:
        have = rebuilt.get(model, {})
        found = {pk: have[pk] for pk in set(ids) if pk in have}
        return found | records_as_of(model, moment, set(ids) - set(found))

    tenures = rows_as_of(Tenure, moment, condition)
    ids = {t.pk for t in tenures}
    predecessor_ids = (
        {t.predecessor_id for t in tenures if named is None or t.pk in named} - ids - {None}
    )
    # Tenures they succeed (shown by name) or that succeed them (they bound possible ends).
    related = (
        rows_as_of(
            Tenure,
            moment,
            Q(id__in=predecessor_ids) | Q(predecessor_id__in=ids),
        )
        if ids
        else []
    )
    related = [t for t in related if t.pk not in ids]
    everyone = tenures + related
    all_ids = {t.pk for t in everyone}

    attestations = (
        rows_as_of(Attestation, moment, Q(tenure_id__in=values_in(all_ids))) if all_ids else []
    )
    citations = rows_as_of(Citation, moment, Q(tenure_id__in=values_in(ids))) if ids else []
    sources = records_as_of(
        Source, moment, [c.source_id for c in citations] + [a.source_id for a in attestations]
    )
    persons = records_as_of(Person, moment, [t.person_id for t in everyone])
    roles = as_of(Role, [t.role_id for t in everyone])
    companies = as_of(Company, [t.company_id for t in everyone])

    for citation in citations:
        citation.source = sources.get(citation.source_id)
    citations = [c for c in citations if c.source is not None]
    citations.sort(key=lambda c: (c.position, c.pk))
    for attestation in attestations:
        attestation.source = sources.get(attestation.source_id)
    attestations.sort(key=lambda a: (a.day, a.pk))

    # A row whose person, company or role was not recorded at moment cannot be shown.
    everyone = [
        t
        for t in everyone
        if t.person_id in persons and t.company_id in companies and t.role_id in roles
    ]
    by_id = {t.pk: t for t in everyone}
    # Grouped once: a scan of every list per tenure made a 1,000-tenure company take 25 s.
    citations_of, attestations_of, successors_of = _by(citations), _by(attestations), {}
    for tenure in everyone:
        successors_of.setdefault(tenure.predecessor_id, []).append(tenure)
    for tenure in everyone:
        tenure.person = persons[tenure.person_id]
        tenure.company = companies[tenure.company_id]
        tenure.role = roles[tenure.role_id]
        tenure.predecessor = by_id.get(tenure.predecessor_id)
        tenure.recorded_at = moment
        facts = citations_of.get(tenure.pk, []), attestations_of.get(tenure.pk, [])
        _set_related(tenure, "citations", facts[0])
        _set_related(tenure, "attestations", facts[1])
        _set_related(tenure, "successors", successors_of.get(tenure.pk, []))
        for item in [*facts[0], *facts[1]]:
            item.tenure = tenure
    for tenure in everyone:
        tenure.apply_derived()
    # Certain intervals do not depend on successors, possible ones read the successors'
    # certain starts: a tenure with successors again, now that all of them are recomputed.
    for tenure in everyone:
        if successors_of.get(tenure.pk):
            tenure.apply_intervals(tenure.derive_intervals())
    return [t for t in everyone if t.pk in ids]


def transactions_as_of(moment: datetime.datetime, condition: Q) -> list[Transaction]:
    """
    The related-party transactions matching condition as recorded at moment, in date order,
    each with its company, its parties (with person or company) and its sources in place as
    they stood then, like Transaction.objects.for_display(). Six queries, whatever the number.
    """
    transactions = rows_as_of(Transaction, moment, condition)
    ids = {tx.pk for tx in transactions}
    if not ids:
        return []
    parties = rows_as_of(TransactionParty, moment, Q(transaction_id__in=ids))
    citations = rows_as_of(TransactionSource, moment, Q(transaction_id__in=ids))
    companies = records_as_of(
        Company, moment, [tx.company_id for tx in transactions] + [p.company_id for p in parties]
    )
    persons = records_as_of(Person, moment, [p.person_id for p in parties])
    sources = records_as_of(Source, moment, [c.source_id for c in citations])
    # A party or a citation whose person, company or source was not recorded then is left out.
    parties = [p for p in parties if (p.person_id in persons) or (p.company_id in companies)]
    for party in parties:
        party.person = persons.get(party.person_id)
        party.company = companies.get(party.company_id)
    parties.sort(key=lambda p: p.pk)
    citations = [c for c in citations if c.source_id in sources]
    for citation in citations:
        citation.source = sources[citation.source_id]
    citations.sort(key=lambda c: (c.position, c.pk))
    transactions = [tx for tx in transactions if tx.company_id in companies]
    for tx in transactions:
        tx.company = companies[tx.company_id]
        _set_related(tx, "parties", [p for p in parties if p.transaction_id == tx.pk])
        _set_related(tx, "citations", [c for c in citations if c.transaction_id == tx.pk])
    # Transaction.Meta.ordering: by date (ISO text), then id.
    transactions.sort(
        key=lambda tx: (tx.date is None, tx.date.isoformat() if tx.date else "", tx.pk)
    )
    return transactions


def transactions_involving_as_of(moment: datetime.datetime, person_id: int) -> list[Transaction]:
    """The transactions the person was a party to, as recorded at moment."""
    parts = rows_as_of(TransactionParty, moment, Q(person_id=person_id))
    ids = {part.transaction_id for part in parts}
    return transactions_as_of(moment, Q(id__in=ids)) if ids else []


def _by(items) -> dict[int, list]:
    """Citations or attestations by tenure id, each tenure's in their given order."""
    grouped: dict[int, list] = {}
    for item in items:
        grouped.setdefault(item.tenure_id, []).append(item)
    return grouped


@dataclass
class HeldOn:
    """Who held what on a day, as the record stood at a moment."""

    day: datetime.date
    certain: list[Tenure] = field(default_factory=list)
    only_possible: list[Tenure] = field(default_factory=list)


def held_on(tenures: Iterable[Tenure], day: datetime.date) -> HeldOn:
    """Split tenures (live or past) into those certainly and those only possibly held on day."""
    result = HeldOn(day)
    for tenure in tenures:
        intervals = _intervals(tenure)
        if intervals.certainly_held_on(day):
            result.certain.append(tenure)
        elif intervals.possibly_held_on(day):
            result.only_possible.append(tenure)
    return result


def _intervals(tenure: Tenure) -> Intervals:
    return Intervals(
        tenure.has_certain_days,
        tenure.certain_start,
        tenure.certain_end,
        tenure.possible_start,
        tenure.possible_end,
    )


@dataclass
class PastRecord:
    """What a company or person page needs to show the record as it stood at a moment."""

    recorded: datetime.datetime
    subject: models.Model | None  # the company or person as recorded then; None: not yet
    tenures: list[Tenure]
    on: HeldOn | None = None

    @property
    def existed(self) -> bool:
        return self.subject is not None


def company_as_recorded(
    company: Company | int, recorded: datetime.datetime, on: datetime.date | None = None
) -> PastRecord:
    """
    A company and its tenures (unordered) as recorded at `recorded` (with `on`: who held what that day,
    as recorded then). The company may have been deleted since: pass its id.
    """
    company_id = company if isinstance(company, int) else company.pk
    subject = records_as_of(Company, recorded, [company_id]).get(company_id)
    tenures = tenures_as_of(recorded, Q(company_id=company_id)) if subject else []
    return PastRecord(recorded, subject, tenures, held_on(tenures, on) if on else None)


def person_as_recorded(
    person: Person | int, recorded: datetime.datetime, on: datetime.date | None = None
) -> PastRecord:
    """A person and their tenures as recorded at `recorded` (with `on`, as for a company)."""
    person_id = person if isinstance(person, int) else person.pk
    subject = records_as_of(Person, recorded, [person_id]).get(person_id)
    tenures = tenures_as_of(recorded, Q(person_id=person_id)) if subject else []
    return PastRecord(recorded, subject, tenures, held_on(tenures, on) if on else None)


def tenures_as_recorded(
    recorded: datetime.datetime,
    *,
    company: Company | int | None = None,
    person: Person | int | None = None,
    role: Role | int | None = None,
    on: datetime.date | None = None,
) -> list[Tenure]:
    """
    For the CSV export with ?recorded=: the tenures as recorded then, filtered like the
    export (with on, only those certainly held that day); the export puts them in its order.
    """
    condition = Q()
    for name, value in [("company_id", company), ("person_id", person), ("role_id", role)]:
        if value is not None:
            condition &= Q(**{name: value if isinstance(value, int) else value.pk})
    tenures = tenures_as_of(recorded, condition)
    if on is not None:
        tenures = held_on(tenures, on).certain
    return tenures
