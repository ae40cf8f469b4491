"""Data quality: what in the record looks wrong or lacks evidence, found in SQL.

Each check is one query (or two, to name what a finding collides with), whatever the size of
the record. The /quality/ page lists them, each finding linked to the admin to fix it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from governance.models import Attestation, Citation, Tenure
from people.models import OtherName, Person

# Open interval bounds as far-away days, so one comparison covers NULL (open) bounds.
EVER = datetime.date(1, 1, 1)
NEVER = datetime.date(9999, 12, 31)


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


def single_seat_possible_overlaps() -> models.QuerySet:
    """
    Tenures of a single-seat role whose possible interval shares two or more days with
    another's at the same company: not refused (only certain overlaps are), but likely errors.
    Each is annotated with overlaps_id, one tenure it overlaps.
    """
    # Two inclusive intervals share two or more days when each starts before the other ends
    # (and each spans two days at least).
    others = (
        _with_possible_bounds(Tenure.objects.filter(single_seat=True))
        .filter(
            ~Q(pk=OuterRef("pk")),
            company=OuterRef("company"),
            role=OuterRef("role"),
            possible_from__lt=OuterRef("possible_to"),
            possible_to__gt=OuterRef("possible_from"),
        )
        .filter(possible_from__lt=models.F("possible_to"))
    )
    return (
        _with_possible_bounds(_tenures().filter(single_seat=True))
        .filter(possible_from__lt=models.F("possible_to"))
        .annotate(overlaps_id=Subquery(others.order_by("pk").values("pk")[:1]))
        .filter(overlaps_id__isnull=False)
    )


def unattested_attestation_only_tenures() -> models.QuerySet:
    """Tenures known only by attestation (no start, no end) with no attested day: no day held."""
    return _tenures().filter(
        ~Exists(Attestation.objects.filter(tenure=OuterRef("pk"))),
        start__isnull=True,
        end__isnull=True,
    )


def persons_without_tenures() -> models.QuerySet:
    return Person.objects.filter(~Exists(Tenure.objects.filter(person=OuterRef("pk"))))


def duplicate_person_candidates() -> models.QuerySet:
    """Persons sharing a normalised name or other name with another person."""
    key = OuterRef("search_key")
    person = OuterRef("pk")
    same_name = Person.objects.filter(search_key=key).exclude(pk=person)
    name_is_other_name = OtherName.objects.filter(search_key=key).exclude(person=person)
    # Inside these, OuterRef is the other name: another person bearing it.
    other_names = OtherName.objects.filter(person=person)
    other_name_is_name = other_names.filter(
        Exists(
            Person.objects.filter(search_key=OuterRef("search_key")).exclude(pk=OuterRef("person"))
        )
    )
    other_name_is_other_name = other_names.filter(
        Exists(
            OtherName.objects.filter(search_key=OuterRef("search_key")).exclude(
                person=OuterRef("person")
            )
        )
    )
    return Person.objects.filter(
        Exists(same_name)
        | Exists(name_is_other_name)
        | Exists(other_name_is_name)
        | Exists(other_name_is_other_name)
    )


@dataclass
class DuplicateGroup:
    name: str  # the shared name, normalised
    persons: list[Person]


def duplicate_persons() -> list[DuplicateGroup]:
    """Groups of persons who share a normalised name (their own or another of theirs)."""
    candidates = list(duplicate_person_candidates().prefetch_related("other_names"))
    by_key: dict[str, dict[int, Person]] = {}
    for person in candidates:
        for key in {person.search_key, *(o.search_key for o in person.other_names.all())}:
            by_key.setdefault(key, {})[person.pk] = person
    return [
        DuplicateGroup(key, sorted(persons.values(), key=lambda p: (p.sort_name, p.pk)))
        for key, persons in sorted(by_key.items())
        if len(persons) > 1
    ]


def attested_outside_possible() -> models.QuerySet:
    """Tenures with an attested day outside their possible interval: a date is likely wrong."""
    outside = Attestation.objects.filter(tenure=OuterRef("pk")).filter(
        Q(day__lt=OuterRef("possible_start")) | Q(day__gt=OuterRef("possible_end"))
    )
    return _tenures().filter(Exists(outside))


@dataclass
class Check:
    slug: str
    title: str
    explanation: str
    findings: list


def quality_report() -> list[Check]:
    """Every check with its findings, in a fixed number of queries."""
    overlaps = list(single_seat_possible_overlaps())
    others = Tenure.objects.select_related("person", "company", "role").in_bulk(
        {t.overlaps_id for t in overlaps}
    )
    for tenure in overlaps:
        tenure.overlaps = others.get(tenure.overlaps_id)
    return [
        Check(
            "unsourced",
            "Unsourced tenures",
            "Tenures that cite no source.",
            list(unsourced_tenures()),
        ),
        Check(
            "possible-overlaps",
            "Single-seat roles possibly held by two at once",
            "Tenures of a single-seat role whose possible intervals share two or more days "
            "with another at the same company: likely errors to review.",
            overlaps,
        ),
        Check(
            "unattested",
            "Known only by attestation, with no attested day",
            "Tenures with no start and no end and no attested day: no day is known held.",
            list(unattested_attestation_only_tenures()),
        ),
        Check(
            "attested-outside",
            "Attested outside the possible interval",
            "Tenures with an attested day outside the days their dates, the company's "
            "founding and their successor allow.",
            list(attested_outside_possible()),
        ),
        Check(
            "persons-without-tenures",
            "Persons without tenures",
            "Persons who hold no role in the record.",
            list(persons_without_tenures()),
        ),
        Check(
            "duplicate-persons",
            "Likely duplicate persons",
            "Persons who share a name or another name, once normalised.",
            duplicate_persons(),
        ),
    ]
