"""The persons, companies and sources a batch of CSV rows names: the stored ones, fetched in a
fixed number of queries per batch, and the new ones earlier rows create, found by the same rules.

Persons and companies are found by CIK where the row gives one that a record holds (a person
whose CIK matches is that person, whatever name the row spells); else persons by slug, or else
by any of their names once normalised; companies by slug, or else by name or former name in any
case (as `iexact` compares them on each backend). A name that fits two records is ambiguous:
the caller reports it, never guesses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.text import slugify

from governance.models import Company, FormerName, Source
from governance.models.partial_date import PartialDate
from people.models import OtherName, Person
from people.names import normalise_name
from records.sql import values_in

URL = re.compile(r"^https?://\S+$")
# As many matches as an ambiguity message counts ("the name fits 6 records").
MAX_MATCHES = 6
SLUG_LENGTH = 80
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Record:
    """A person or company: stored (pk set when fetched) or created by this import."""

    __slots__ = ("pk", "name", "slug", "key", "sort_name", "founded", "created", "cik")

    def __init__(
        self,
        pk: int | None,
        name: str,
        slug: str,
        key: str = "",
        sort_name: str = "",
        founded: PartialDate | None = None,
        created: bool = False,
        cik: str = "",
    ):
        self.pk = pk
        self.name = name
        self.slug = slug
        self.key = key
        self.sort_name = sort_name
        self.founded = founded
        self.created = created
        self.cik = cik

    def __str__(self) -> str:
        return self.name


def ambiguity(kind: str, column: str, matches: list[Record]) -> str:
    slugs = ", ".join(match.slug for match in matches[:5])
    return (
        f"ambiguous {kind}: the name fits {len(matches)} records ({slugs}); "
        f"give {column}_slug to say which"
    )


def cik_conflict(column: str, record: Record, slug: str, cik: str) -> str | None:
    """Why the record a row's name, slug or CIK found cannot take the row's CIK, naming both:
    another record holds it, or the record holds another."""
    if not cik:
        return None
    if record.cik == cik:
        if slug and record.slug != slug:
            return (
                f"{column}_cik {cik} belongs to {record} ({record.slug}), "
                f"not to the {column} of {column}_slug {slug}"
            )
        return None
    if record.cik:
        return (
            f"{column}_cik {cik} is not the CIK of {record} ({record.slug}), which is {record.cik}"
        )
    return None


def slug_candidate(base: str, n: int) -> str:
    """people.models.unique_slug's n-th try: base, then base-2, base-3..."""
    if n == 1:
        return base
    return f"{base[: SLUG_LENGTH - len(str(n)) - 1]}-{n}"


class RecordIndex:
    """Persons or companies that a batch may name, by pk, slug and name key."""

    def __init__(self, model, key_of):
        self.model = model
        self.key_of = key_of
        self.by_pk: dict[int, Record] = {}
        self.by_slug: dict[str, Record] = {}
        self.by_key: dict[str, list[Record]] = defaultdict(list)
        self.by_cik: dict[str, Record] = {}
        self.created: list[Record] = []
        # Stored records this import gave a CIK, to be written with the batch.
        self.cik_given: list[Record] = []
        # Slugs known to be taken, and the candidates already asked about.
        self.taken_slugs: set[str] = set()
        self.checked_slugs: set[str] = set()

    def stored(self, pk: int, name: str, slug: str, **extra) -> Record:
        record = self.by_pk.get(pk)
        if record is None:
            record = self.by_pk[pk] = Record(pk, name, slug, **extra)
            self.by_slug[slug] = record
            if record.cik:
                self.by_cik[record.cik] = record
        return record

    def find(self, name: str, slug: str, cik: str = "") -> list[Record]:
        """The one name-matching rule: the record holding cik when there is one; else by slug
        alone when there is one (no fallback to the name), otherwise every record one of whose
        names is this one (at most MAX_MATCHES). The caller checks that a record found by CIK
        bears the row's slug, and one found otherwise no other CIK (cik_conflict)."""
        if cik and (record := self.by_cik.get(cik)) is not None:
            return [record]
        if slug:
            record = self.by_slug.get(slug)
            return [record] if record is not None else []
        return self.by_key.get(self.key_of(name), [])[:MAX_MATCHES]

    def create(self, name: str, slug: str, cik: str = "", **extra) -> Record:
        """A record this import creates (written with the batch), matched from now on."""
        name = name.strip()
        record = Record(
            None,
            name,
            slug or self.free_slug(name),
            self.key_of(name),
            created=True,
            cik=cik,
            **extra,
        )
        self.created.append(record)
        self.by_slug[record.slug] = record
        self.by_key[record.key].append(record)
        if cik:
            self.by_cik[cik] = record
        return record

    def give_cik(self, record: Record, cik: str) -> None:
        """Set the CIK of a record that has none (cik_conflict() found no other holder)."""
        record.cik = cik
        self.by_cik[cik] = record
        if not record.created:
            self.cik_given.append(record)

    # -- slugs, as unique_slug() picks them ---------------------------------------------------

    def slug_base(self, name: str) -> str:
        return slugify(name)[:SLUG_LENGTH].strip("-") or self.model._meta.model_name

    def check_slugs(self, candidates: Iterable[str]) -> None:
        """Ask the database once which of these slugs are taken."""
        candidates = set(candidates) - self.checked_slugs
        if not candidates:
            return
        self.checked_slugs |= candidates
        taken = self.model.objects.filter(slug__in=values_in(candidates, "text"))
        self.taken_slugs.update(taken.values_list("slug", flat=True).order_by())

    def free_slug(self, name: str) -> str:
        base = self.slug_base(name)
        n = 1
        while True:
            candidate = slug_candidate(base, n)
            if candidate not in self.checked_slugs:
                # Many new records with one base in one batch: ask about the next few at once.
                self.check_slugs(slug_candidate(base, k) for k in range(n, n + 50))
            if candidate not in self.taken_slugs and candidate not in self.by_slug:
                return candidate
            n += 1


def person_key(name: str) -> str:
    return normalise_name(name)


class CompanyKeys:
    """Company names as `name__iexact` compares them: UPPER() on PostgreSQL, ASCII letters
    only on SQLite (LIKE). Asked of the database once per batch, so both sides agree."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def learn(self, names: Iterable[str]) -> None:
        names = {name.strip() for name in names} - self.keys.keys()
        if not names:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT n, upper(n) FROM unnest(%s::text[]) AS n", [list(names)])
                self.keys.update(cursor.fetchall())
        else:
            self.keys.update((name, name.translate(_ASCII_UPPER)) for name in names)

    def __call__(self, name: str) -> str:
        return self.keys[name.strip()]


class SourceRecord:
    __slots__ = ("pk", "title", "url", "date", "created")

    def __init__(self, pk, title: str, url: str, date: PartialDate | None, created=False):
        self.pk = pk
        self.title = title
        self.url = url
        self.date = date
        self.created = created


class SourceIndex:
    """Sources by URL and by title; a reference is a URL or a title (Source.reference)."""

    def __init__(self) -> None:
        self.by_pk: dict[int, SourceRecord] = {}
        self.by_url: dict[str, SourceRecord] = {}
        self.by_title: dict[str, SourceRecord] = {}
        self.created: list[SourceRecord] = []

    def stored(self, pk: int, title: str, url: str, date) -> SourceRecord:
        record = self.by_pk.get(pk)
        if record is None:
            record = self.by_pk[pk] = SourceRecord(pk, title, url, date)
            self._index(record)
        return record

    def _index(self, record: SourceRecord) -> None:
        self.by_title[record.title] = record
        if record.url:
            self.by_url[record.url] = record

    def find(self, reference: str) -> SourceRecord | None:
        if URL.match(reference) and reference in self.by_url:
            return self.by_url[reference]
        return self.by_title.get(reference)

    def create(self, reference: str) -> SourceRecord:
        url = reference if URL.match(reference) else ""
        record = SourceRecord(None, reference, url, None, created=True)
        self.created.append(record)
        self._index(record)
        return record

    def fetch(self, references: set[str]) -> None:
        if not references:
            return
        urls = {reference for reference in references if URL.match(reference)}
        condition = Q(title__in=values_in(references, "text"))
        if urls:
            condition |= Q(url__in=values_in(urls, "text"))
        for pk, title, url, date in (
            Source.objects.filter(condition).values_list("pk", "title", "url", "date").order_by()
        ):
            self.stored(pk, title, url, date)


class BatchLookup:
    """What a batch's rows name, fetched before its rows are matched one by one."""

    def __init__(self) -> None:
        self.company_keys = CompanyKeys()
        self.persons = RecordIndex(Person, person_key)
        self.companies = RecordIndex(Company, self.company_keys)
        self.sources = SourceIndex()

    def fetch_persons(self, slugs: set[str], names: set[str], ciks: set[str] = frozenset()) -> None:
        """Persons with these slugs or CIKs, persons any of whose names is one of these names,
        and which slugs a new person of one of these names would find taken."""
        if ciks:
            self._persons(Person.objects.filter(cik__in=values_in(ciks, "text")).order_by())
        if slugs:
            self._persons(Person.objects.filter(slug__in=values_in(slugs, "text")).order_by())
        keys = {person_key(name) for name in names}
        if keys:
            other_names = OtherName.objects.filter(search_key__in=values_in(keys, "text"))
            persons = Person.objects.filter(
                Q(search_key__in=values_in(keys, "text"))
                | Q(pk__in=other_names.values("person_id"))
            ).order_by("sort_name", "name", "pk")
            by_pk = {record.pk: record for record in self._persons(persons, keys)}
            for pk, key in other_names.values_list("person_id", "search_key"):
                self._add_key(self.persons, key, by_pk[pk])
            self._sort_keys(self.persons, by_pk)
        self.persons.check_slugs(self.persons.slug_base(name) for name in names)

    def _persons(self, queryset, keys: set[str] | None = None) -> list[Record]:
        records = []
        for pk, name, slug, sort_name, key, cik in queryset.values_list(
            "pk", "name", "slug", "sort_name", "search_key", "cik"
        ):
            record = self.persons.stored(pk, name, slug, key=key, sort_name=sort_name, cik=cik)
            if keys is not None and key in keys:
                self._add_key(self.persons, key, record)
            records.append(record)
        return records

    def fetch_companies(
        self,
        slugs: set[str],
        names: set[str],
        slugged_names: set[str],
        ciks: set[str] = frozenset(),
    ) -> None:
        """Companies with these slugs or CIKs, or named or formerly named so in any case; and
        which slugs a new company of one of these names would find taken. (slugged_names: the
        names of rows that give a slug or a CIK, which a new company may bear.)"""
        self.company_keys.learn(names | slugged_names)
        condition = Q(slug__in=values_in(slugs, "text")) if slugs else Q()
        if ciks:
            condition |= Q(cik__in=values_in(ciks, "text"))
        if slugs or ciks:
            for pk, name, slug, founded, cik in (
                Company.objects.filter(condition)
                .values_list("pk", "name", "slug", "founded", "cik")
                .order_by()
            ):
                self.companies.stored(pk, name, slug, founded=founded, cik=cik)
        keys = {self.company_keys(name) for name in names}
        if keys:
            former = FormerName.objects.annotate(key=Upper("name")).filter(
                key__in=values_in(keys, "text")
            )
            companies = (
                Company.objects.annotate(key=Upper("name"))
                .filter(Q(key__in=values_in(keys, "text")) | Q(pk__in=former.values("company_id")))
                .order_by("name", "pk")
            )
            by_pk = {}
            for pk, name, slug, founded, key, cik in companies.values_list(
                "pk", "name", "slug", "founded", "key", "cik"
            ):
                record = by_pk[pk] = self.companies.stored(pk, name, slug, founded=founded, cik=cik)
                if key in keys:
                    self._add_key(self.companies, key, record)
            for pk, key in former.values_list("company_id", "key"):
                self._add_key(self.companies, key, by_pk[pk])
            self._sort_keys(self.companies, by_pk)
        self.companies.check_slugs(self.companies.slug_base(name.strip()) for name in names)

    @staticmethod
    def _add_key(index: RecordIndex, key: str, record: Record) -> None:
        if record not in index.by_key[key]:
            index.by_key[key].append(record)

    @staticmethod
    def _sort_keys(index: RecordIndex, fetched: dict[int, Record]) -> None:
        # Matches in the model's order, as the query listing them sorted them.
        order = {pk: position for position, pk in enumerate(fetched)}
        for records in index.by_key.values():
            records.sort(key=lambda record: order.get(record.pk, len(order)))
