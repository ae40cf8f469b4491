"""The smaller CSV exports: people, companies, and events (appointments and departures).

Streamed like the tenure export (governance/tenure_export.py): a database iterator, and a fixed
number of queries per chunk.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import F

from governance.csv.chunks import chunk_filter, chunk_size_for_ids, iso_text
from governance.csv.format import join_list
from governance.models import Company, Tenure
from people.models import OtherName, Person

PEOPLE_COLUMNS = ["name", "sort_name", "slug", "other_names"]
COMPANY_COLUMNS = [
    "name",
    "slug",
    "ticker",
    "exchange",
    "cik",
    "jurisdiction",
    "headquarters",
    "founded",
    "parent_slug",
]
EVENT_COLUMNS = [
    "date",
    "event",
    "person",
    "company",
    "role",
    "title",
    "end_reason",
    "person_slug",
    "company_slug",
]


def people_rows() -> Iterator[list[str]]:
    chunk_size = chunk_size_for_ids()
    rows = (
        Person.objects.order_by("sort_name", "name", "slug")
        .values_list("id", "name", "sort_name", "slug")
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        other_names: dict[int, list[str]] = defaultdict(list)
        for person_id, name in (
            OtherName.objects.filter(**chunk_filter("person_id", [row[0] for row in chunk]))
            .order_by("person_id", "name")
            .values_list("person_id", "name")
        ):
            other_names[person_id].append(name)
        for person_id, name, sort_name, slug in chunk:
            yield [name, sort_name, slug, join_list(other_names.get(person_id, ()))]


def company_rows() -> Iterator[list[str]]:
    rows = (
        Company.objects.order_by("name", "slug")
        .annotate(founded_text=iso_text("founded"))
        .values_list(
            "name",
            "slug",
            "ticker",
            "exchange",
            "cik",
            "jurisdiction",
            "headquarters",
            "founded_text",
            "parent__slug",
        )
        .iterator(chunk_size=chunk_size_for_ids())
    )
    for row in rows:
        yield [cell or "" for cell in row]


def _events(date_field: str, event: str) -> Iterator[tuple[str, int, list[str]]]:
    order = 0 if event == "appointed" else 1
    rows = (
        Tenure.objects.filter(**{f"{date_field}__isnull": False})
        .annotate(date_text=iso_text(date_field))
        .order_by(F(date_field), "company__slug", "role__position", "person__slug")
        .values_list(
            "date_text",
            "person__name",
            "company__name",
            "role__slug",
            "title",
            "end_reason",
            "person__slug",
            "company__slug",
        )
        .iterator(chunk_size=chunk_size_for_ids())
    )
    for date, person, company, role, title, end_reason, person_slug, company_slug in rows:
        yield (
            date,
            order,
            [
                date,
                event,
                person,
                company,
                role,
                title,
                end_reason if event == "departed" else "",
                person_slug,
                company_slug,
            ],
        )


def event_rows() -> Iterator[list[str]]:
    """Appointments (known starts) and departures (known ends) in date order.

    A partial date sorts by its first day, then by precision, as its ISO text does; on one
    date, appointments come before departures. Events of unknown date are left out.
    """
    merged = heapq.merge(
        _events("start", "appointed"),
        _events("end", "departed"),
        key=lambda event: (event[0], event[1]),
    )
    for _, _, row in merged:
        yield row
