"""The tenure CSV export: one queryset and one row generator, shared by the HTTP view, the
export_tenures command and the admin action.

Rows leave as they are read: the tenures come through a database iterator in chunks, and each
chunk costs a fixed number of queries (its sources, its attested days), never one per row, so
memory stays flat whether the export holds ten rows or a million.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import models
from django.db.models import F

from governance.csv.chunks import chunk_filter, chunk_size_for_ids, iso_text
from governance.csv.format import join_list
from governance.models import Attestation, Citation, Company, Role, Tenure
from people.models import Person


@dataclass(frozen=True)
class TenureFilters:
    """What a tenure export holds: one company, person or role, and who held it on a day;
    read from parameters by governance.forms.TenureExportForm."""

    company: Company | None = None
    person: Person | None = None
    role: Role | None = None
    on: datetime.date | None = None

    @staticmethod
    def base_queryset() -> models.QuerySet:
        return Tenure.objects.all()

    def apply(self, queryset: models.QuerySet) -> models.QuerySet:
        if self.company is not None:
            queryset = queryset.at(self.company)
        if self.person is not None:
            queryset = queryset.filter(person=self.person)
        if self.role is not None:
            queryset = queryset.filter(role=self.role)
        if self.on is not None:
            queryset = queryset.held_on(self.on)
        return queryset

    def describe(self) -> list[str]:
        """Name parts for the file: what the export holds."""
        parts = [record.slug for record in (self.company, self.person, self.role) if record]
        if self.on is not None:
            parts.append(f"on-{self.on.isoformat()}")
        return parts


def tenure_export_queryset(base: models.QuerySet | None = None) -> models.QuerySet:
    """Tenures in export order: company, role lane, start (unknown first), person.

    The order follows the record, not its ids, so an import into another database exports
    back identically; and a tenure's predecessor (which starts before it) always comes first.
    """
    queryset = Tenure.objects.all() if base is None else base
    return queryset.order_by(
        "company__slug",
        "role__position",
        "role__slug",
        F("start").asc(nulls_first=True),
        "person__slug",
    )


_ROW_FIELDS = (
    "id",
    "person__name",
    "company__name",
    "role__slug",
    "title",
    "start_text",
    "end_text",
    "end_reason",
    "predecessor__person__name",
    "person__slug",
    "company__slug",
    "predecessor__person__slug",
)


def _sources_by_tenure(ids: list[int]) -> dict[int, list[str]]:
    references: dict[int, list[str]] = defaultdict(list)
    citations = (
        Citation.objects.filter(**chunk_filter("tenure_id", ids))
        .order_by("tenure_id", "position", "id")
        .values_list("tenure_id", "source__url", "source__title")
    )
    for tenure_id, url, title in citations:
        references[tenure_id].append(url or title)
    return references


def _attested_by_tenure(ids: list[int]) -> dict[int, list[str]]:
    days: dict[int, list[str]] = defaultdict(list)
    attestations = (
        Attestation.objects.filter(**chunk_filter("tenure_id", ids))
        .order_by("tenure_id", "day")
        .values_list("tenure_id", "day")
        .distinct()
    )
    for tenure_id, day in attestations:
        days[tenure_id].append(day.isoformat())
    return days


def tenure_rows(queryset: models.QuerySet) -> Iterator[list[str]]:
    """One list of cells per tenure, in TENURE_COLUMNS order, streamed in chunks."""
    chunk_size = chunk_size_for_ids()
    rows = (
        queryset.annotate(start_text=iso_text("start"), end_text=iso_text("end"))
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        ids = [row[0] for row in chunk]
        sources = _sources_by_tenure(ids)
        attested = _attested_by_tenure(ids)
        for (
            tenure_id,
            person,
            company,
            role,
            title,
            start,
            end,
            end_reason,
            replaces,
            person_slug,
            company_slug,
            replaces_slug,
        ) in chunk:
            yield [
                person,
                company,
                role,
                title,
                start or "",
                end or "",
                end_reason,
                replaces or "",
                join_list(sources.get(tenure_id, ())),
                join_list(attested.get(tenure_id, ())),
                person_slug,
                company_slug,
                replaces_slug or "",
            ]


def export_order(tenure: Tenure) -> tuple:
    """The export's order for tenures already in memory: tenure_export_queryset()'s ORDER BY
    as Python (start as its ISO text, as the database sorts it), not the pages' start order."""
    start = tenure.start.isoformat() if tenure.start else ""
    return (tenure.company.slug, tenure.role.position, tenure.role.slug, start, tenure.person.slug)


def tenure_rows_of(tenures: Iterable[Tenure]) -> Iterator[list[str]]:
    """tenure_rows() for tenures already in memory, such as the record as it stood at a past
    moment (governance.history.record_time), in the same order and cells."""
    for tenure in sorted(tenures, key=export_order):
        predecessor = tenure.predecessor.person if tenure.predecessor else None
        yield [
            tenure.person.name,
            tenure.company.name,
            tenure.role.slug,
            tenure.title,
            tenure.start.isoformat() if tenure.start else "",
            tenure.end.isoformat() if tenure.end else "",
            tenure.end_reason,
            predecessor.name if predecessor else "",
            join_list(citation.source.reference for citation in tenure.citations.all()),
            join_list(sorted({a.day.isoformat() for a in tenure.attestations.all()})),
            tenure.person.slug,
            tenure.company.slug,
            predecessor.slug if predecessor else "",
        ]
