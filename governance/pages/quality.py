"""Data quality: what in the record looks wrong or lacks evidence, found in SQL.

Each check is a query whatever the size of the record, and a page of the report reads one
page of its findings (PER_PAGE), counted without counting a long list (records.pagination):
at a million tenures, no check reads a finding it does not show, nor runs a query per row.
The /quality/ page lists the first page of each, each finding linked to the admin to fix it;
/quality/?check=SLUG&page=N pages through one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db import connections, models
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Value, Window
from django.db.models.expressions import RawSQL, RowRange
from django.db.models.functions import Coalesce, Lead

from governance.models import Attestation, Citation, Tenure
from people.models import OtherName, Person
from records.pagination import EstimatedPaginator

# Open interval bounds as far-away days, so one comparison covers NULL (open) bounds.
EVER = datetime.date(1, 1, 1)
NEVER = datetime.date(9999, 12, 31)
PER_PAGE = 50


def _tenures() -> models.QuerySet:
    return Tenure.objects.select_related("person", "company", "role").order_by(
        "company__name", "role__position", "start", "pk"
    )


def has_citation() -> Exists:
    return Exists(Citation.objects.filter(tenure=OuterRef("pk")))


def unsourced_tenures(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Tenures citing no source: marked "unsourced" on pages."""
    return (queryset if queryset is not None else _tenures()).filter(~has_citation())


def sourced_tenures(queryset: models.QuerySet | None = None) -> models.QuerySet:
    return (queryset if queryset is not None else _tenures()).filter(has_citation())


def with_unsourced_flag(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate each tenure with is_unsourced, for pages that list many."""
    return queryset.annotate(is_unsourced=~has_citation())


def _with_possible_bounds(queryset: models.QuerySet) -> models.QuerySet:
    return queryset.annotate(
        possible_from=Coalesce("possible_start", Value(EVER)),
        possible_to=Coalesce("possible_end", Value(NEVER)),
    )


def _spanning_two_days(queryset: models.QuerySet) -> models.QuerySet:
    return _with_possible_bounds(queryset).filter(possible_from__lt=F("possible_to"))


def _overlapping() -> models.QuerySet:
    """Single-seat tenures whose possible interval shares two or more days with another's of
    the same role at the same company."""
    # Two inclusive intervals share two or more days when each starts before the other ends
    # (and each spans two days at least). In one company's role, ordered by start: a tenure
    # overlaps one before it when the latest end before it is past its start, and one after
    # it when the next start is before its end. One sorted pass, no query per tenure.
    lane = {
        "partition_by": [F("company_id"), F("role_id")],
        "order_by": [F("possible_from").asc(), F("pk").asc()],
    }
    return (
        _spanning_two_days(Tenure.objects.filter(single_seat=True))
        .annotate(
            latest_end_before=Window(Max("possible_to"), frame=RowRange(None, -1), **lane),
            next_start=Window(Lead("possible_from"), **lane),
        )
        .filter(Q(latest_end_before__gt=F("possible_from")) | Q(next_start__lt=F("possible_to")))
    )


def _with_overlapped_id(tenures: models.QuerySet) -> models.QuerySet:
    """Annotate overlaps_id, one tenure each overlaps: a subquery that the database computes
    for the rows it returns only."""
    others = _spanning_two_days(Tenure.objects.filter(single_seat=True)).filter(
        ~Q(pk=OuterRef("pk")),
        company=OuterRef("company"),
        role=OuterRef("role"),
        possible_from__lt=OuterRef("possible_to"),
        possible_to__gt=OuterRef("possible_from"),
    )
    return _with_possible_bounds(tenures).annotate(
        overlaps_id=Subquery(others.order_by("pk").values("pk")[:1])
    )


def single_seat_possible_overlaps() -> models.QuerySet:
    """
    Tenures of a single-seat role whose possible interval shares two or more days with
    another's at the same company: not refused (only certain overlaps are), but likely errors.
    Each is annotated with overlaps_id, one tenure it overlaps.
    """
    return _with_overlapped_id(_tenures().filter(pk__in=_overlapping().values("pk")))


class OverlapFindings:
    """single_seat_possible_overlaps() as a list the paginator counts and slices: a page is
    found in page order by the one query that finds them (joining a million tenures to the
    overlapping ones instead misleads PostgreSQL into a walk of them all), then read."""

    def __init__(self):
        self.ids = (
            _overlapping()
            .order_by("company__name", "role__position", "start", "pk")
            .values_list("pk", flat=True)
        )

    def count(self) -> int:
        return self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Tenure]:
        ids = list(self.ids[window])
        found = _with_overlapped_id(_tenures().filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids]


def _name_overlapped(tenures: list[Tenure]) -> list[Tenure]:
    others = Tenure.objects.select_related("person", "company", "role").in_bulk(
        {t.overlaps_id for t in tenures}
    )
    for tenure in tenures:
        tenure.overlaps = others.get(tenure.overlaps_id)
    return tenures


def unattested_attestation_only_tenures() -> models.QuerySet:
    """Tenures known only by attestation (no start, no end) with no attested day: no day held."""
    return _tenures().filter(
        ~Exists(Attestation.objects.filter(tenure=OuterRef("pk"))),
        start__isnull=True,
        end__isnull=True,
    )


def persons_without_tenures() -> models.QuerySet:
    return Person.objects.filter(~Exists(Tenure.objects.filter(person=OuterRef("pk"))))


class DuplicateKeys:
    """The normalised names that two or more persons bear (as their name or another name), in
    order: a list that the paginator counts and slices, one GROUP BY over both tables' names.
    (The ORM cannot group a UNION.)"""

    def __init__(self, using: str = "default"):
        self.using = using

    def sql(self) -> str:
        connection = connections[self.using]
        quote = connection.ops.quote_name
        person, other = Person._meta, OtherName._meta
        key = quote(person.get_field("search_key").column)
        other_key = quote(other.get_field("search_key").column)
        owner = quote(other.get_field("person").column)
        return (
            f"SELECT names.key FROM ("
            f"SELECT {key} AS key, {quote(person.pk.column)} AS person_id "
            f"FROM {quote(person.db_table)} "
            f"UNION ALL SELECT {other_key}, {owner} FROM {quote(other.db_table)}"
            # Two persons or more: MIN and MAX differ (unlike COUNT(DISTINCT), hashable).
            ") names GROUP BY names.key HAVING MIN(names.person_id) <> MAX(names.person_id)"
        )

    def _fetch(self, sql: str) -> list:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        return self._fetch(f"SELECT COUNT(*) FROM ({self.sql()}) duplicate_keys")[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[str]:
        limits = connections[self.using].ops.limit_offset_sql(window.start, window.stop)
        return self._fetch(f"{self.sql()} ORDER BY names.key {limits}")


def duplicate_person_candidates() -> models.QuerySet:
    """Persons sharing a normalised name or other name with another person."""
    keys = RawSQL(DuplicateKeys().sql(), ())
    by_name = Person.objects.filter(search_key__in=keys).order_by().values("pk")
    by_other_name = OtherName.objects.filter(search_key__in=keys).order_by().values("person_id")
    return Person.objects.filter(pk__in=by_name.union(by_other_name))


@dataclass
class DuplicateGroup:
    name: str  # the shared name, normalised
    persons: list[Person]


def duplicate_groups(keys: Iterable[str]) -> list[DuplicateGroup]:
    """The persons bearing each of keys (as their name or another name), key by key."""
    keys = list(keys)
    by_name = Person.objects.filter(search_key__in=keys).order_by().values("pk")
    by_other_name = OtherName.objects.filter(search_key__in=keys).order_by().values("person_id")
    persons = Person.objects.filter(pk__in=by_name.union(by_other_name)).prefetch_related(
        "other_names"
    )
    by_key: dict[str, dict[int, Person]] = {key: {} for key in keys}
    for person in persons if keys else []:
        for key in {person.search_key, *(o.search_key for o in person.other_names.all())}:
            if key in by_key:
                by_key[key][person.pk] = person
    return [
        DuplicateGroup(key, sorted(found.values(), key=lambda p: (p.sort_name, p.pk)))
        for key, found in by_key.items()
        if len(found) > 1
    ]


def duplicate_persons() -> list[DuplicateGroup]:
    """Groups of persons who share a normalised name (their own or another of theirs)."""
    return duplicate_groups(DuplicateKeys()[0:None])


def attested_outside_possible() -> models.QuerySet:
    """Tenures with an attested day outside their possible interval: a date is likely wrong."""
    # Found from the attested days (far fewer than tenures) first: PostgreSQL, expecting many,
    # would otherwise walk every tenure in page order looking for them.
    outside = Attestation.objects.filter(
        Q(day__lt=F("tenure__possible_start")) | Q(day__gt=F("tenure__possible_end"))
    )
    return _tenures().filter(pk__in=set(outside.values_list("tenure_id", flat=True)))


@dataclass(frozen=True)
class CheckKind:
    slug: str
    title: str
    explanation: str
    findings: Callable[[], object]  # a QuerySet, or a list the paginator can count and slice
    shape: Callable[[list], list] = list  # what a page shows of its findings


CHECKS = [
    CheckKind(
        "unsourced",
        "Unsourced tenures",
        "Tenures that cite no source.",
        unsourced_tenures,
    ),
    CheckKind(
        "possible-overlaps",
        "Single-seat roles possibly held by two at once",
        "Tenures of a single-seat role whose possible intervals share two or more days "
        "with another at the same company: likely errors to review.",
        OverlapFindings,
        _name_overlapped,
    ),
    CheckKind(
        "unattested",
        "Known only by attestation, with no attested day",
        "Tenures with no start and no end and no attested day: no day is known held.",
        unattested_attestation_only_tenures,
    ),
    CheckKind(
        "attested-outside",
        "Attested outside the possible interval",
        "Tenures with an attested day outside the days their dates, the company's "
        "founding and their successor allow.",
        attested_outside_possible,
    ),
    CheckKind(
        "persons-without-tenures",
        "Persons without tenures",
        "Persons who hold no role in the record.",
        persons_without_tenures,
    ),
    CheckKind(
        "duplicate-persons",
        "Likely duplicate persons",
        "Persons who share a name or another name, once normalised.",
        DuplicateKeys,
        duplicate_groups,
    ),
]
CHECK_SLUGS = [kind.slug for kind in CHECKS]


@dataclass
class Check:
    slug: str
    title: str
    explanation: str
    findings: list  # the page's
    count: int | None  # None: more than the page shows, not counted (the overview)
    count_estimated: bool = False  # count is PostgreSQL's estimate (past 10,000)
    page: Page | None = None  # when paging through this check alone


def first_findings(kind: CheckKind) -> Check:
    """A check's first PER_PAGE findings, counted only when that is all of them: one query."""
    rows = list(kind.findings()[: PER_PAGE + 1])
    count = len(rows) if len(rows) <= PER_PAGE else None
    return Check(kind.slug, kind.title, kind.explanation, kind.shape(rows[:PER_PAGE]), count)


def page_of_findings(kind: CheckKind, page: int) -> Check:
    """One page of one check's findings, and their count (EmptyPage past the last page)."""
    paginator = EstimatedPaginator(kind.findings(), PER_PAGE, page_to_read=page)
    found = paginator.page(page)
    return Check(
        kind.slug,
        kind.title,
        kind.explanation,
        kind.shape(list(found)),
        paginator.count,
        paginator.estimated,
        found,
    )


def quality_report(slug: str = "", page: int = 1) -> list[Check]:
    """Every check's first findings, or a page of the check slug with its count."""
    if slug:
        return [page_of_findings(next(kind for kind in CHECKS if kind.slug == slug), page)]
    return [first_findings(kind) for kind in CHECKS]
