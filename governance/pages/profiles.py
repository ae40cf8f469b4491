"""What a company's or a person's page shows, in one shape whether it is the record now or as it
stood at a moment of record time (?recorded=): the views only render it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q

from governance.history.record_time import (
    company_as_recorded,
    held_on,
    person_as_recorded,
    tenures_as_of,
    transactions_as_of,
    transactions_involving_as_of,
)
from governance.history.versions import last_changes
from governance.models import Company, Role, Source, Tenure, Transaction
from governance.pages.events import career_path, company_events
from governance.pages.timeline import Chart, build_chart
from governance.pages.transactions import TransactionStory, stories
from people.models import Person

KIND_ORDER = {Role.Kind.OFFICER: 0, Role.Kind.BOARD: 1, Role.Kind.OTHER: 2}


def lane_order(role: Role) -> tuple:
    """Officers first, then the board, then other roles; by the catalogue's order within."""
    return (KIND_ORDER.get(role.kind, 3), role.position, role.name)


def sources_of(tenures) -> list[Source]:
    """The documents cited for, or attesting, these tenures, in date order."""
    found = {}
    for tenure in tenures:
        for item in [*tenure.citations.all(), *tenure.attestations.all()]:
            if item.source is not None:
                found[item.source.pk] = item.source
    return sorted(
        found.values(), key=lambda source: (source.date is None, source.date, source.title)
    )


def mark_repeated_quotes(citations, attestations) -> None:
    """Flag attested days whose passage a citation of the same tenure already quotes, so a
    page quotes it once."""
    quoted = {(citation.tenure_id, citation.quote): citation for citation in citations}
    for attestation in attestations:
        # The citation whose card quotes it, so the page can say which passage it means.
        attestation.quoted_in = quoted.get((attestation.tenure_id, attestation.quote))
        attestation.quoted_above = attestation.quoted_in is not None


@dataclass
class Holders:
    """Who held a role on a day: certainly (and, today, whether evidence still confirms it), or
    only possibly."""

    role: Role
    confirmed: list[Tenure]
    unconfirmed: list[Tenure]  # today only: no end recorded, but no recent evidence either
    possible: list[Tenure]


def mark_confirmation(tenures, today: datetime.date) -> None:
    """Set tenure.now: whether the record still confirms it today (Tenure.confirmation)."""
    for tenure in tenures:
        tenure.now = tenure.confirmation(today)


@dataclass
class CompanyProfile:
    company: Company
    tenures: list[Tenure]  # lane by lane, each by start
    holders: list[Holders]
    chart: Chart
    events: list
    founders: list
    documents: list[Source]
    subsidiaries: list[Company]
    former_names: list
    interlocks: list[tuple[Company, list[Tenure]]]
    transactions: list[TransactionStory]

    def context(self) -> dict:
        return dict(vars(self))


def company_profile(
    company: Company,
    *,
    today: datetime.date,
    on_day: datetime.date | None = None,
    recorded: datetime.datetime | None = None,
) -> CompanyProfile | None:
    """The company's page: its timeline, who held each role on on_day (or today), events,
    documents and interlocks; None when recorded is before the company was in the record."""
    if recorded is not None:
        past = company_as_recorded(company, recorded)
        if not past.existed:
            return None
        company, tenures = past.subject, past.tenures
        documents = sources_of(tenures)
        people = {tenure.person_id for tenure in tenures}
        elsewhere = tenures_as_of(recorded, Q(person_id__in=people) & ~Q(company_id=company.pk))
        transactions = stories(transactions_as_of(recorded, Q(company_id=company.pk)), tenures)
    else:
        tenures = list(Tenure.objects.at(company).for_display())
        documents = list(Source.objects.about_company(company))
        elsewhere = Tenure.objects.of_people_elsewhere({t.person_id for t in tenures}, company)
        last_changes([company, *tenures])
        transactions = stories(company.transactions.for_display(), tenures)
    tenures.sort(key=lambda tenure: (lane_order(tenure.role), tenure.start_order()))
    lanes = [(role, list(group)) for role, group in groupby(tenures, key=lambda t: t.role)]
    founders = list(company.founders.select_related("person", "source"))
    held = held_on(tenures, on_day or today)
    certain, possible = set(held.certain), set(held.only_possible)
    elsewhere = sorted(elsewhere, key=lambda t: (t.company.name, t.company.pk, t.start_order()))
    mark_confirmation([*tenures, *elsewhere], today)
    return CompanyProfile(
        company=company,
        tenures=tenures,
        holders=[
            _holders(role, lane, certain, possible, today=on_day is None) for role, lane in lanes
        ],
        chart=build_chart(
            [(role.name, lane) for role, lane in lanes],
            today=today,
            label=lambda tenure: tenure.person.name,
            documents=documents,
            transactions=transactions,
            on_day=on_day,
            certain_on_day={t.pk for t in certain} if on_day else (),
            possible_on_day={t.pk for t in possible} if on_day else (),
            founded=company.founded,
        ),
        events=company_events(
            company, sorted(tenures, key=Tenure.start_order), founders, transactions
        ),
        founders=founders,
        documents=documents,
        subsidiaries=list(company.subsidiaries.all()),
        former_names=list(company.former_names.all()),
        interlocks=[
            (other, list(group)) for other, group in groupby(elsewhere, key=lambda t: t.company)
        ],
        transactions=transactions,
    )


def _holders(role, lane, certain, possible, *, today: bool) -> Holders:
    held = [t for t in lane if t in certain]
    unconfirmed = [t for t in held if today and t.now and not t.now.current]
    confirmed = [t for t in held if t not in unconfirmed]
    return Holders(role, confirmed, unconfirmed, [t for t in lane if t in possible])


@dataclass
class PersonProfile:
    person: Person
    path: list
    chart: Chart
    tenures: list[Tenure]  # in career-path order
    documents: list[Source]
    other_names: list
    foundings: list
    parts: list  # the person's parts in documents
    transactions: list[TransactionStory]

    def context(self) -> dict:
        return dict(vars(self))


def person_profile(
    person: Person, *, today: datetime.date, recorded: datetime.datetime | None = None
) -> PersonProfile | None:
    """The person's page: the career path as a list and a timeline, and every document; None
    when recorded is before the person was in the record."""
    if recorded is not None:
        past = person_as_recorded(person, recorded)
        if not past.existed:
            return None
        person, tenures = past.subject, past.tenures
        documents = sources_of(tenures)
    else:
        tenures = list(person.tenures.for_display())
        documents = list(Source.objects.about_person(person))
        last_changes([person, *tenures])
    if recorded is not None:
        involving = transactions_involving_as_of(recorded, person.pk)
    else:
        involving = Transaction.objects.involving(person).for_display()
    transactions = stories(involving, tenures)
    mark_confirmation(tenures, today)
    for tenure in tenures:
        mark_repeated_quotes(tenure.citations.all(), tenure.attestations.all())
    path = career_path(tenures)
    lanes: dict[tuple, tuple[str, list]] = {}
    for career in path:
        for step in career.steps:
            tenure = step.tenure
            lane = lanes.setdefault(
                (tenure.company_id, tenure.role_id),
                (f"{tenure.role.name} · {tenure.company.name}", []),
            )
            lane[1].append(tenure)
    chart = build_chart(
        list(lanes.values()),
        today=today,
        label=lambda tenure: tenure.dates_display,
        documents=documents,
    )
    tenures = [step.tenure for career in path for step in career.steps]
    parts = list(person.source_parts.select_related("source").order_by("source__date"))
    return PersonProfile(
        person,
        path,
        chart,
        tenures,
        with_parts(documents, parts),
        other_names=list(person.other_names.all()),
        foundings=list(person.foundings.select_related("company", "source")),
        parts=parts,
        transactions=transactions,
    )


def with_parts(documents: list[Source], parts) -> list[Source]:
    """The documents, each once, with the person's parts in it (source.person_parts: "payee"),
    so a page lists every document a single time; a document the person only has a part in is
    added."""
    by_source: dict[int, list] = {}
    for part in parts:
        by_source.setdefault(part.source_id, []).append(part)
    listed = {source.pk for source in documents}
    extra = {part.source_id: part.source for part in parts if part.source_id not in listed}
    documents = sorted(
        [*documents, *extra.values()],
        key=lambda source: (source.date is None, source.date, source.title),
    )
    for source in documents:
        source.person_parts = by_source.get(source.pk, [])
    return documents
