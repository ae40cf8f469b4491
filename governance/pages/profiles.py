"""What a company's or a person's page shows, in one shape whether it is the record now or as it
stood at a moment of record time (?recorded=): the views only render it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, Value, When

from governance.history.record_time import (
    held_on,
    person_as_recorded,
    records_as_of,
    tenures_as_of,
    transactions_as_of,
    transactions_involving_as_of,
    values_as_of,
)
from governance.history.versions import last_changes
from governance.models import Company, Role, Source, SourceParty, Tenure, Transaction
from governance.models.intervals import Intervals
from governance.models.partial_date import PartialDate
from governance.models.tenures import start_order
from governance.pages.events import career_path, company_events
from governance.pages.timeline import Chart, build_chart
from governance.pages.transactions import TransactionStory, stories
from people.models import Person

KIND_ORDER = {Role.Kind.OFFICER: 0, Role.Kind.BOARD: 1, Role.Kind.OTHER: 2}
# A company page shows this many tenures (its chart, events, table and interlocks) and links to
# the rest with ?page=, so its cost does not grow with the company's number of tenures.
TENURES_PER_PAGE = 25
OWN_DOCUMENTS = 10
# Its interlocks name at most this many other companies, those sharing the most of the page's
# people first: 25 people can hold thousands of roles elsewhere (a fund trustee sits on a
# hundred boards), and the page's cost would grow with them.
INTERLOCK_COMPANIES = 20


def lane_order(role: Role) -> tuple:
    """Officers first, then the board, then other roles; by the catalogue's order within."""
    return (KIND_ORDER.get(role.kind, 3), role.position, role.name)


def sources_of(tenures, extra=()) -> list[Source]:
    """The documents cited for, or attesting, these tenures (and extra), in date order."""
    found = {source.pk: source for source in extra}
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
    tenures: list[Tenure]  # this page's, lane by lane, each by start
    tenure_page: Page  # which of the company's tenures, in that order, this page shows
    holders: list[Holders]
    chart: Chart
    events: list
    founders: list
    documents: list[Source]
    subsidiaries: list[Company]
    former_names: list
    interlocks: list[tuple[Company, list[Tenure]]]
    interlocks_more: int  # other companies where the page's people held roles, not shown
    transactions: list[TransactionStory]

    def context(self) -> dict:
        return dict(vars(self))


def tenure_order(tenure: Tenure) -> tuple:
    """A company's tenures lane by lane (lane_order), each lane by start."""
    return (lane_order(tenure.role), tenure.start_order())


def _company_documents(company: Company, tenures, founders) -> list[Source]:
    """The documents of these tenures and of the founding, and the latest OWN_DOCUMENTS naming
    the company (a big company is named in thousands)."""
    # An IN over the company's parties, not an OR with the founders' (a scan of every source).
    named = Source.objects.filter(
        pk__in=SourceParty.objects.filter(company=company).values("source_id")
    ).order_by(F("date").desc(nulls_last=True), "-pk")[:OWN_DOCUMENTS]
    founding = [founder.source for founder in founders if founder.source is not None]
    return sources_of(tenures, extra=[*named, *founding])


def _lane_order_sql() -> list:
    """tenure_order as an ORDER BY: a partial date's ISO text sorts as start_key does."""
    kind = Case(
        *[When(role__kind=kind, then=Value(rank)) for kind, rank in KIND_ORDER.items()],
        default=Value(len(KIND_ORDER)),
    )
    return [
        kind,
        "role__position",
        "role__name",
        F("start").asc(nulls_first=True),
        F("certain_start").asc(nulls_first=True),
        "pk",
    ]


def _live_tenures(company: Company, number: int, day: datetime.date):
    """This page's tenures, every role's lane, and those possibly held on day: a fixed number
    of queries, each reading one company's rows by its index, and only the page's tenures
    with their sources and succession."""
    # The page's ids first (a sort of the company's rows joined to the roles only), then
    # their rows with everything shown: sorting with the persons joined read 1,000 of them.
    # The count comes with the company's roles (one query for both).
    roles = list(Role.objects.filter(tenures__company=company).annotate(held=Count("tenures")))
    ordered = Tenure.objects.at(company).order_by(*_lane_order_sql()).values_list("pk", flat=True)
    paginator = Paginator(ordered, TENURES_PER_PAGE)
    paginator.count = sum(role.held for role in roles)
    page = paginator.page(number)
    ids = list(page.object_list)
    by_id = {tenure.pk: tenure for tenure in Tenure.objects.filter(pk__in=ids).for_display()}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    on_day = list(Tenure.objects.at(company).possibly_held_on(day).select_related("person", "role"))
    return page, {role.pk: role for role in roles}, on_day


# What _past_tenures reads of each of a company's tenures as recorded: enough to order them and
# to pick the day's candidates, as plain values (a thousand rebuilt tenures took 100 ms).
_OUTLINE = (
    "id",
    "person_id",
    "role_id",
    "start",
    "end",
    "has_certain_days",
    "certain_start",
    "certain_end",
    "possible_start",
    "possible_end",
)


@dataclass(frozen=True)
class _Outline:
    id: int
    person_id: int
    role_id: int
    start: PartialDate | None
    end: PartialDate | None
    intervals: Intervals


def _past_tenures(company: Company, recorded: datetime.datetime, number: int, day):
    """As _live_tenures, from the record as it stood at recorded, and the interlocks: the
    company's tenures are outlined from history, and only this page's tenures, the candidates
    for day and the page's people's tenures at the companies its interlocks show are rebuilt
    (one tenures_as_of)."""
    outline = [
        _Outline(pk, person_id, role_id, start, end, Intervals(*bounds))
        for pk, person_id, role_id, start, end, *bounds in values_as_of(
            Tenure, recorded, Q(company_id=company.pk), _OUTLINE
        )
    ]
    roles = records_as_of(Role, recorded, {row.role_id for row in outline})
    outline = [row for row in outline if row.role_id in roles]
    # tenure_order, from the outline.
    outline.sort(
        key=lambda row: (
            lane_order(roles[row.role_id]),
            start_order(row.start, row.intervals.certain_start, row.id),
        )
    )
    page = Paginator([row.id for row in outline], TENURES_PER_PAGE).page(number)
    # A history row's interval columns are those of its own last save (a later attested day
    # or successor moves them without a row), so the day's candidates are taken from its
    # dates as recorded then, and decided once rebuilt.
    candidates = {
        row.id
        for row in outline
        if (row.start is None or row.start.first <= day)
        and (row.end is None or row.end.last >= day)
        or row.intervals.certainly_held_on(day)
        or row.intervals.possibly_held_on(day)
    }
    ids = list(page.object_list)
    outlined = {row.id: row for row in outline}
    people = {outlined[pk].person_id for pk in ids}
    held_elsewhere = values_as_of(
        Tenure,
        recorded,
        Q(person_id__in=people) & ~Q(company_id=company.pk),
        ("company_id", "person_id"),
    )
    shared = Shared.of(held_elsewhere)
    rebuilt = {
        t.pk: t
        for t in tenures_as_of(
            recorded,
            Q(id__in=set(ids) | candidates)
            | Q(person_id__in=people, company_id__in=list(shared.shown)),
            known=[company, *roles.values()],
            named=set(ids),
        )
    }
    page.object_list = [rebuilt[pk] for pk in ids if pk in rebuilt]
    on_day = [tenure for pk, tenure in rebuilt.items() if pk in candidates]
    shown = {tenure.person_id for tenure in page.object_list}
    elsewhere = [
        t for t in rebuilt.values() if t.company_id in shared.shown and t.person_id in shown
    ]
    return page, roles, on_day, elsewhere, shared


def company_profile(
    company: Company,
    *,
    today: datetime.date,
    on_day: datetime.date | None = None,
    recorded: datetime.datetime | None = None,
    page: int = 1,
) -> CompanyProfile | None:
    """The company's page: who held each role on on_day (or today), and for one page of its
    tenures (TENURES_PER_PAGE, lane by lane) the timeline, events, table, documents and
    interlocks; None when recorded is before the company was in the record. A page past the
    last raises Paginator's EmptyPage."""
    day = on_day or today
    if recorded is not None:
        past = records_as_of(Company, recorded, [company.pk]).get(company.pk)
        if past is None:
            return None
        company = past
        tenure_page, roles, held_candidates, elsewhere, shared = _past_tenures(
            company, recorded, page, day
        )
        tenures = list(tenure_page.object_list)
        documents = sources_of(tenures)
        transactions = stories(transactions_as_of(recorded, Q(company_id=company.pk)), tenures)
    else:
        tenure_page, roles, held_candidates = _live_tenures(company, page, day)
        tenures = list(tenure_page.object_list)
        people = {t.person_id for t in tenures}
        shared = Shared(Tenure.objects.shared_companies(people, company))
        elsewhere = Tenure.objects.of_people_at(people, list(shared.shown))
        last_changes([company, *tenures])
        transactions = _company_transactions(company)
    lanes = [(role, list(group)) for role, group in groupby(tenures, key=lambda t: t.role)]
    founders = list(company.founders.select_related("person", "source"))
    if recorded is None:
        documents = _company_documents(company, tenures, founders)
    held = held_on(held_candidates, day)
    certain, possible = set(held.certain), set(held.only_possible)
    elsewhere = sorted(
        elsewhere,
        key=lambda t: (-shared.shown[t.company_id], t.company.name, t.company.pk, t.start_order()),
    )
    mark_confirmation([*tenures, *held_candidates, *elsewhere], today)
    return CompanyProfile(
        company=company,
        tenures=tenures,
        tenure_page=tenure_page,
        holders=_holders_by_role(roles.values(), certain, possible, today=on_day is None),
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
        interlocks_more=shared.more,
        transactions=transactions,
    )


class Shared:
    """The other companies where a page's people held roles, as (company id, how many of them),
    those sharing the most first: the INTERLOCK_COMPANIES shown, and how many more there are."""

    def __init__(self, shared: list[tuple[int, int]]):
        self.shown = dict(shared[:INTERLOCK_COMPANIES])
        self.more = len(shared) - len(self.shown)

    @classmethod
    def of(cls, held: list[tuple[int, int]]) -> Shared:
        """From (company id, person id) pairs."""
        people: dict[int, set[int]] = {}
        for company_id, person_id in held:
            people.setdefault(company_id, set()).add(person_id)
        counts = sorted(people.items(), key=lambda item: (-len(item[1]), item[0]))
        return cls([(company_id, len(persons)) for company_id, persons in counts])


def _company_transactions(company: Company) -> list[TransactionStory]:
    """The company's transactions, each party's roles from that party's tenures here."""
    transactions = list(company.transactions.for_display())
    people = {p.person_id for tx in transactions for p in tx.parties.all() if p.person_id}
    if not people:
        return stories(transactions, [])
    tenures = Tenure.objects.at(company).filter(person_id__in=people).select_related("role")
    return stories(transactions, tenures)


def _holders_by_role(roles, certain: set, possible: set, *, today: bool) -> list[Holders]:
    """Every role of the company, in lane order, with who held it (of certain and possible)."""
    by_role: dict[int, list[Tenure]] = {}
    for tenure in sorted([*certain, *possible], key=Tenure.start_order):
        by_role.setdefault(tenure.role_id, []).append(tenure)
    return [
        _holders(role, by_role.get(role.pk, []), certain, possible, today=today)
        for role in sorted(roles, key=lane_order)
    ]


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
