"""Data quality: what in the record looks wrong or lacks evidence, found in SQL.

Each check is one query whatever the size of the record. Two kinds, so that no click on
/quality/ runs for seconds at a million tenures:

- **Live** checks read a page straight from an index that holds exactly their findings in
  their order (oldest unconfirmed tenures, undated ones: the partial index tenure_unconfirmed;
  held-back SEC relationships: the primary key), so a page costs the same at any size.
- **Computed** checks (unsourced, overlaps, unattested, attested outside, persons without
  tenures, duplicates) must compare every tenure or person with something else (a NOT EXISTS
  over 1.8M citations, a window over every single-seat lane, a GROUP BY over every name): no
  index makes their first page bounded when findings are few. compute_findings() runs them and
  stores their findings in page order (QualityFinding); a page is a range of positions. The
  snapshot says when it was computed; when the record has changed since (record_version), the
  page asks for a recomputation in the background (refresh_quality_findings, a task the worker
  runs; `manage.py compute_quality` runs it by hand or from cron).

/quality/ lists the first page of each, each finding linked to the admin to fix it;
/quality/?check=SLUG&page=N pages through one.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page
from django.db import connections, models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Value, Window
from django.db.models.expressions import RawSQL, RowRange
from django.db.models.functions import Coalesce, Lead
from django.utils import timezone
from django_tasks import task

from governance.models import (
    Attestation,
    Citation,
    HeldBackRelationship,
    QualityFinding,
    QualityRun,
    Tenure,
)
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person
from records.pagination import EstimatedPaginator, fast_count

# Open interval bounds as far-away days, so one comparison covers NULL (open) bounds.
EVER = datetime.date(1, 1, 1)
NEVER = datetime.date(9999, 12, 31)
PER_PAGE = 50
OVERVIEW = 10  # findings of each check on /quality/ itself


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
    """The persons bearing each of keys (as their name or another name), key by key: three
    queries (which person bears which key, by name and by other name; then the persons)."""
    keys = list(keys)
    if not keys:
        return []
    bearers = set(Person.objects.filter(search_key__in=keys).values_list("search_key", "pk"))
    bearers |= set(
        OtherName.objects.filter(search_key__in=keys).values_list("search_key", "person_id")
    )
    persons = Person.objects.only("pk", "name", "sort_name", "slug").in_bulk(
        {pk for _, pk in bearers}
    )
    by_key: dict[str, dict[int, Person]] = {key: {} for key in keys}
    for key, pk in bearers:
        if pk in persons:
            by_key[key][pk] = persons[pk]
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


def persons_without_tenures_in_order() -> models.QuerySet:
    return persons_without_tenures().order_by("sort_name", "name", "pk")


# -- What a page shows of the stored findings (a fixed number of queries per page) -----------


def _tenures_in_order(findings: list[QualityFinding]) -> list[Tenure]:
    """The tenures findings name, in their order; one deleted since is left out."""
    found = _tenures().in_bulk([f.record_id for f in findings])
    return [found[f.record_id] for f in findings if f.record_id in found]


def _overlapping_in_order(findings: list[QualityFinding]) -> list[Tenure]:
    ids = [f.record_id for f in findings]
    found = _with_overlapped_id(_tenures().filter(pk__in=ids)).in_bulk()
    return _name_overlapped([found[pk] for pk in ids if pk in found])


def _persons_in_order(findings: list[QualityFinding]) -> list[Person]:
    found = Person.objects.in_bulk([f.record_id for f in findings])
    return [found[f.record_id] for f in findings if f.record_id in found]


def _duplicate_groups_of(findings: list[QualityFinding]) -> list[DuplicateGroup]:
    return duplicate_groups([f.key for f in findings])


def _ids(queryset: models.QuerySet) -> Callable[[], Iterable[tuple[int, str]]]:
    return lambda: ((pk, "") for pk in queryset().values_list("pk", flat=True).iterator())


def _overlap_ids() -> Iterable[tuple[int, str]]:
    return ((pk, "") for pk in OverlapFindings().ids.iterator())


def _duplicate_keys() -> Iterable[tuple[None, str]]:
    return ((None, key) for key in DuplicateKeys()[0:None])


# -- The checks -----------------------------------------------------------------------------


class BadCursor(ValueError):
    """An ?after= that is not a place in the check's order."""


def _id_of(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadCursor(f"?after={text!r} is not a place in this list: follow its Next link.")
    return int(text)


def _after_id(queryset: models.QuerySet, after: str) -> models.QuerySet:
    return queryset.filter(pk__gt=_id_of(after))


def _before_id(queryset: models.QuerySet, after: str) -> models.QuerySet:
    return queryset.filter(pk__lt=_id_of(after))


def _after_confirmation(queryset: models.QuerySet, after: str) -> models.QuerySet:
    """After (last_confirmed, id) in oldest_unconfirmed's order: a range of the index from
    last_confirmed, less the few tenures of that same day up to id."""
    last_confirmed, _, pk = after.rpartition("_")
    try:
        day = PartialDate.parse(last_confirmed)
    except ValueError:
        raise BadCursor(
            f"?after={after!r} is not a place in this list: follow its Next link."
        ) from None
    return queryset.filter(last_confirmed__gte=day).exclude(last_confirmed=day, pk__lte=_id_of(pk))


@dataclass(frozen=True)
class CheckKind:
    slug: str
    title: str
    explanation: str
    # Live: a QuerySet in page order, read a page at a time from where the last one ended
    # (?after=: keyset pagination, the same cost at any depth); as_of is today.
    live: Callable[[datetime.date], models.QuerySet] | None = None
    after: Callable[[models.QuerySet, str], models.QuerySet] = _after_id
    cursor: Callable[[object], str] = lambda row: str(row.pk)
    # Computed: every finding as (record id, key), in page order; and what a page shows of them.
    compute: Callable[[], Iterable[tuple[int | None, str]]] | None = None
    shape: Callable[[list], list] = list


CHECKS = [
    CheckKind(
        "unconfirmed",
        "Oldest unconfirmed tenures",
        "Tenures with no end recorded whose latest evidence (an attested day or a dated "
        f"source) is older than {settings.UNCONFIRMED_AFTER_MONTHS} months: oldest first. "
        "Is the person still in the role?",
        live=lambda today: Tenure.objects.oldest_unconfirmed(today).select_related(
            "person", "company", "role"
        ),
        after=_after_confirmation,
        cursor=lambda tenure: f"{tenure.last_confirmed.isoformat()}_{tenure.pk}",
    ),
    CheckKind(
        "undated",
        "No end recorded, no dated evidence",
        "Tenures with no end recorded that no attested day or dated source confirms.",
        live=lambda today: Tenure.objects.undated_no_end().select_related(
            "person", "company", "role"
        ),
    ),
    CheckKind(
        "held-back",
        "SEC relationships held back for review",
        "Relationships an SEC ownership filing states that the import did not apply, because "
        "they would break a rule of the record (two holders of a single-seat role at once): "
        "newest first.",
        live=lambda today: HeldBackRelationship.objects.for_review().select_related(
            "filing__source"
        ),
        after=_before_id,
    ),
    CheckKind(
        "unsourced",
        "Unsourced tenures",
        "Tenures that cite no source.",
        compute=_ids(unsourced_tenures),
        shape=_tenures_in_order,
    ),
    CheckKind(
        "possible-overlaps",
        "Single-seat roles possibly held by two at once",
        "Tenures of a single-seat role whose possible intervals share two or more days "
        "with another at the same company: likely errors to review.",
        compute=_overlap_ids,
        shape=_overlapping_in_order,
    ),
    CheckKind(
        "unattested",
        "Known only by attestation, with no attested day",
        "Tenures with no start and no end and no attested day: no day is known held.",
        compute=_ids(unattested_attestation_only_tenures),
        shape=_tenures_in_order,
    ),
    CheckKind(
        "attested-outside",
        "Attested outside the possible interval",
        "Tenures with an attested day outside the days their dates, the company's "
        "founding and their successor allow.",
        compute=_ids(attested_outside_possible),
        shape=_tenures_in_order,
    ),
    CheckKind(
        "persons-without-tenures",
        "Persons without tenures",
        "Persons who hold no role in the record.",
        compute=_ids(persons_without_tenures_in_order),
        shape=_persons_in_order,
    ),
    CheckKind(
        "duplicate-persons",
        "Likely duplicate persons",
        "Persons who share a name or another name, once normalised.",
        compute=_duplicate_keys,
        shape=_duplicate_groups_of,
    ),
]
CHECK_SLUGS = [kind.slug for kind in CHECKS]
COMPUTED_SLUGS = [kind.slug for kind in CHECKS if kind.compute]
LIVE_SLUGS = [kind.slug for kind in CHECKS if kind.live]


# -- Computing the computed checks --------------------------------------------------------

BATCH = 5000
# At most one recomputation asked for per this many seconds (per cache: per worker process
# with the local-memory cache, once for all with a shared one); the task clears it when done.
REFRESH_GUARD_SECONDS = 300
REFRESH_GUARD_KEY = "quality:refresh-requested"


def compute_check(kind: CheckKind, version: str) -> QualityRun:
    """Run one computed check and replace its stored findings, in one transaction."""
    began = time.perf_counter()
    with transaction.atomic():
        # Two computations at once (the command beside the worker) take turns here, so the
        # second deletes what the first wrote rather than colliding with it.
        list(QualityRun.objects.select_for_update().filter(check_slug=kind.slug))
        QualityFinding.objects.filter(check_slug=kind.slug).delete()
        count, batch = 0, []
        for count, (record_id, key) in enumerate(kind.compute(), start=1):
            batch.append(
                QualityFinding(check_slug=kind.slug, position=count, record_id=record_id, key=key)
            )
            if len(batch) >= BATCH:
                QualityFinding.objects.bulk_create(batch)
                batch = []
        QualityFinding.objects.bulk_create(batch)
        run, _ = QualityRun.objects.update_or_create(
            check_slug=kind.slug,
            defaults={
                "computed_at": timezone.now(),
                "seconds": time.perf_counter() - began,
                "findings": count,
                "record_version": version,
            },
        )
    return run


def compute_findings(version: str, slugs: Iterable[str] = COMPUTED_SLUGS) -> list[QualityRun]:
    """Recompute the computed checks (each its own transaction), noting the record's version
    they were computed against (read before they run: a write meanwhile makes them stale)."""
    slugs = set(slugs)
    return [compute_check(kind, version) for kind in CHECKS if kind.compute and kind.slug in slugs]


def is_stale(runs: dict[str, QualityRun], version: str) -> bool:
    return any(slug not in runs or runs[slug].record_version != version for slug in COMPUTED_SLUGS)


@task()
def refresh_quality_findings(version: str) -> str:
    """The worker's job: recompute the checks unless already computed against version."""
    try:
        if not is_stale(QualityRun.objects.in_bulk(field_name="check_slug"), version):
            return "fresh"
        compute_findings(version)
        return "computed"
    finally:
        cache.delete(REFRESH_GUARD_KEY)


def refresh_if_stale(version: str) -> bool:
    """Queue a recomputation when the computed checks are older than the record's version,
    unless one was asked for lately (REFRESH_GUARD_SECONDS): whether one was queued."""
    if not is_stale(QualityRun.objects.in_bulk(field_name="check_slug"), version):
        return False
    if not cache.add(REFRESH_GUARD_KEY, version, REFRESH_GUARD_SECONDS):
        return False
    # The immediate backend (the tests') runs it right here.
    refresh_quality_findings.enqueue(version)
    return True


# -- The report ---------------------------------------------------------------------------


@dataclass
class Check:
    slug: str
    title: str
    explanation: str
    findings: list  # the page's
    count: int | None  # None: more than the page shows, not counted (the overview)
    count_estimated: bool = False  # count is PostgreSQL's estimate (past 10,000)
    page: Page | None = None  # a computed check's page, when paging through it alone
    run: QualityRun | None = None  # a computed check's latest computation
    stale: bool = False  # the record has changed since it was computed
    live: bool = False  # read from the record itself, a page at a time by ?after=
    next_after: str = ""  # a live check's next page starts after this
    is_first: bool = True  # a live check's first page
    per_page: int = PER_PAGE
    more: bool = False  # the overview shows some of it only


@dataclass
class Report:
    checks: list[Check]
    stale: bool = False  # some computed check is older than the record
    runs: dict = field(default_factory=dict)


class StoredFindings:
    """A computed check's stored findings as a list the paginator counts (the stored count)
    and slices (a range of positions: an index range scan, at any depth)."""

    def __init__(self, slug: str, count: int):
        self.slug, self._count = slug, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[QualityFinding]:
        first = window.start or 0
        found = QualityFinding.objects.filter(check_slug=self.slug, position__gt=first)
        if window.stop is not None:
            found = found.filter(position__lte=window.stop)
        return list(found.order_by("position"))


def _live_first(kind: CheckKind, today: datetime.date) -> Check:
    """The overview's few of a live check: counted only when that is all of them."""
    rows = list(kind.live(today)[: OVERVIEW + 1])
    count = len(rows) if len(rows) <= OVERVIEW else None
    findings = kind.shape(rows[:OVERVIEW])
    return Check(
        kind.slug, kind.title, kind.explanation, findings, count, live=True, more=count is None
    )


def _live_page(kind: CheckKind, today: datetime.date, after: str) -> Check:
    """A page of a live check after the cursor after (its start when empty), and its count:
    exact up to 10,000, PostgreSQL's estimate beyond (records.pagination.fast_count)."""
    everything = kind.live(today)
    rows = list((kind.after(everything, after) if after else everything)[: PER_PAGE + 1])
    if after and not rows:
        raise EmptyPage("Past the end.")
    count, estimated = (len(rows), False) if not after and len(rows) <= PER_PAGE else (None, False)
    if count is None:
        count, estimated = fast_count(everything)
    shown = rows[:PER_PAGE]
    return Check(
        kind.slug,
        kind.title,
        kind.explanation,
        kind.shape(shown),
        count,
        estimated,
        live=True,
        next_after=kind.cursor(shown[-1]) if len(rows) > PER_PAGE else "",
        is_first=not after,
    )


def _computed_page(
    kind: CheckKind, run: QualityRun | None, version: str, page: int, per_page: int
) -> Check:
    stale = run is None or run.record_version != version
    if run is None:
        return Check(kind.slug, kind.title, kind.explanation, [], None, stale=True)
    paginator = EstimatedPaginator(StoredFindings(kind.slug, run.findings), per_page)
    found = paginator.page(page)  # EmptyPage past the last
    return Check(
        kind.slug,
        kind.title,
        kind.explanation,
        kind.shape(list(found)),
        run.findings,
        page=found,
        run=run,
        stale=stale,
        more=run.findings > per_page,
    )


def quality_report(
    today: datetime.date, version: str, slug: str = "", page: int = 1, after: str = ""
) -> Report:
    """Every check's first few findings, or a page of the check slug (a computed check's by
    page number, a live one's after the cursor after). version: the record's now
    (governance.history.tracked.record_version), to tell a stale computation. Raises EmptyPage
    past the end, BadCursor for an after that is no place in the list."""
    runs = QualityRun.objects.in_bulk(field_name="check_slug")
    kinds = [kind for kind in CHECKS if kind.slug == slug] if slug else CHECKS
    checks = []
    for kind in kinds:
        if kind.live is not None:
            checks.append(_live_page(kind, today, after) if slug else _live_first(kind, today))
        elif slug:
            checks.append(_computed_page(kind, runs.get(kind.slug), version, page, PER_PAGE))
        else:
            checks.append(_computed_page(kind, runs.get(kind.slug), version, 1, OVERVIEW))
    if slug and page > 1 and checks[0].run is None and not checks[0].live:
        raise EmptyPage("Not computed yet.")
    return Report(checks, is_stale(runs, version), runs)
