"""The tenure CSV export, shared by the HTTP view, the export_tenures command and the admin
action: tenure_csv_chunks() writes the file's bytes for any selection of tenures.

On PostgreSQL the file is one COPY statement's CSV, streamed as the server sends it (a million
rows in seconds); elsewhere it is Python's csv module over tenure_rows(), which reads the
tenures in chunks at a fixed number of queries per chunk. Both write the same bytes, and memory
stays flat whether the export holds ten rows or a million.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connections, models
from django.db.models import F

from governance.csv.chunks import (
    chunk_filter,
    chunk_size_for_ids,
    copy_csv,
    csv_cell_sql,
    iso_text,
)
from governance.csv.format import LIST_SEPARATOR, TENURE_COLUMNS, csv_lines, join_list
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
    "last_confirmed_text",
    "inferred",
    "inferred_note",
    "person__cik",
    "company__cik",
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
        queryset.annotate(
            start_text=iso_text("start"),
            end_text=iso_text("end"),
            last_confirmed_text=iso_text("last_confirmed"),
        )
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
            last_confirmed,
            inferred,
            inferred_note,
            person_cik,
            company_cik,
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
                last_confirmed or "",
                inferred,
                inferred_note,
                person_cik,
                company_cik,
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
            tenure.last_confirmed.isoformat() if tenure.last_confirmed else "",
            tenure.inferred,
            tenure.inferred_note,
            tenure.person.cik,
            tenure.company.cik,
        ]


def tenure_csv_chunks(
    queryset: models.QuerySet | None = None, on_rows: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The tenure CSV of the tenures in queryset (default: all of them) as UTF-8 bytes, header
    first, in tenure_export_queryset()'s order; on_rows, if given, hears how many rows each
    chunk after the header holds."""
    queryset = Tenure.objects.all() if queryset is None else queryset
    lines = csv_lines(TENURE_COLUMNS, ())
    yield next(lines).encode()
    if connections[queryset.db].vendor == "postgresql":
        chunks = _copied_rows(queryset)
    else:
        chunks = _written_rows(queryset)
    for chunk, rows in chunks:
        if on_rows is not None:
            on_rows(rows)
        yield chunk


def _written_rows(queryset: models.QuerySet, lines_per_chunk: int = 500):
    lines = csv_lines(TENURE_COLUMNS, tenure_rows(tenure_export_queryset(queryset)))
    next(lines)  # the header
    while batch := list(islice(lines, lines_per_chunk)):
        yield "".join(batch).encode(), len(batch)


# tenure_rows() as one statement, for COPY: the same cells in tenure_export_queryset()'s order.
# Each tenure's sources and attested days are gathered for all the exported tenures in one pass
# and joined once, never looked up per row; window functions string them together, as
# string_agg(... ORDER BY ...) with GROUP BY would sort each tenure's few rows on their own
# (PostgreSQL 15), which takes twice as long. The rows are sorted as read, and escaped (see
# csv_cell_sql) only once sorted, so that the sort moves each value once.
_EXPORT_SQL = """{selected}
SELECT {cells}
FROM (
  SELECT p.name AS person, c.name AS company, r.slug AS role, t.title, t.start, t."end",
    t.end_reason, replaced.name AS replaces, evidence.sources, evidence.days AS attested,
    p.slug AS person_slug, c.slug AS company_slug, replaced.slug AS replaces_slug,
    t.last_confirmed, t.inferred, t.inferred_note, p.cik AS person_cik, c.cik AS company_cik{keys}
  FROM {tenures} t
  JOIN people_person p ON p.id = t.person_id
  JOIN {companies} c ON c.id = t.company_id
  JOIN {roles} r ON r.id = t.role_id
  LEFT JOIN (
    SELECT pt.id, pp.name, pp.slug
    FROM governance_tenure pt JOIN people_person pp ON pp.id = pt.person_id
    WHERE pt.id IN (SELECT predecessor_id FROM {tenures})
  ) replaced ON replaced.id = t.predecessor_id
  LEFT JOIN (
    SELECT coalesce(cited.tenure_id, attested.tenure_id) AS tenure_id, cited.sources, attested.days
    FROM (
      SELECT DISTINCT ON (ci.tenure_id) ci.tenure_id,
        string_agg(coalesce(nullif(s.url, ''), s.title), %(separator)s) OVER (
          PARTITION BY ci.tenure_id ORDER BY ci.position, ci.id
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS sources
      FROM governance_citation ci JOIN governance_source s ON s.id = ci.source_id
      {only_citations}
    ) cited
    FULL JOIN (
      SELECT DISTINCT ON (a.tenure_id) a.tenure_id,
        string_agg(to_char(a.day, 'YYYY-MM-DD'), %(separator)s) OVER (
          PARTITION BY a.tenure_id ORDER BY a.day
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS days
      FROM (SELECT DISTINCT tenure_id, day FROM governance_attestation {only_attestations}) a
    ) attested ON attested.tenure_id = cited.tenure_id
  ) evidence ON evidence.tenure_id = t.id
  ORDER BY {order}
) exported
ORDER BY {exported_order}"""

# The order of tenure_export_queryset(): company slug, role position and slug, start (unknown
# first), person slug. Exporting everything, companies and roles go by their place in that
# order (slugs are unique, so it is the same order), as comparing integers is much cheaper than
# comparing text under a database collation (a second at a million rows). A selection does not
# number every company first.
_ORDERS = {
    "all": {
        "companies": (
            "(SELECT id, name, slug, cik, row_number() OVER (ORDER BY slug) AS place"
            " FROM governance_company)"
        ),
        "roles": (
            "(SELECT id, slug, row_number() OVER (ORDER BY position, slug) AS place"
            " FROM governance_role)"
        ),
        "keys": ", c.place AS company_place, r.place AS role_place",
        "order": "c.place, r.place, t.start NULLS FIRST, p.slug",
        "exported_order": (
            "exported.company_place, exported.role_place, exported.start NULLS FIRST, "
            "exported.person_slug"
        ),
    },
    "selected": {
        "companies": "governance_company",
        "roles": "governance_role",
        "keys": ", r.position AS role_position",
        "order": "c.slug, r.position, r.slug, t.start NULLS FIRST, p.slug",
        "exported_order": (
            "exported.company_slug, exported.role_position, exported.role, "
            "exported.start NULLS FIRST, exported.person_slug"
        ),
    },
}

# For the export's own transaction. JIT compiling this statement costs more than running it
# (8 s at a million rows). The memory lets a million rows sort without temporary files (about
# 350 MB; 10% faster); it is a ceiling, taken only as needed, and past it the sort spills.
COPY_SETTINGS = ("jit = off", "work_mem = '512MB'")

# The tenure columns the statement reads.
_TENURE_FIELDS = [
    "id",
    "person_id",
    "company_id",
    "role_id",
    "predecessor_id",
    "title",
    "start",
    "end",
    "end_reason",
    "last_confirmed",
    "inferred",
    "inferred_note",
]


def tenure_export_statement(queryset: models.QuerySet) -> tuple[str, dict]:
    """The SELECT whose COPY is the export of queryset's tenures (header apart), and its
    parameters; run with COPY_SETTINGS. Also what scripts/bench_export.py times."""
    query = queryset.query
    if not query.where and not query.is_sliced and not query.combinator:
        # All the tenures: nothing to narrow the sources and attested days down to.
        selected, tenures, params, order = "", "governance_tenure", {}, _ORDERS["all"]
        only = dict.fromkeys(["only_citations", "only_attestations"], "")
    else:
        chosen = queryset.order_by().values(*_TENURE_FIELDS)
        sql, chosen_params = chosen.query.get_compiler(queryset.db, elide_empty=False).as_sql()
        # Django writes %s placeholders; the statement names its own.
        names = [f"p{n}" for n in range(len(chosen_params))]
        sql = sql.replace("%%", "%%%%") % tuple(f"%({name})s" for name in names)
        # Not materialised: each use is planned with the selection's own conditions, so one
        # company's tenures are found by index, not by joining all of them first.
        columns = ", ".join(f'"{field}"' for field in _TENURE_FIELDS)
        selected = f"WITH selected ({columns}) AS NOT MATERIALIZED ({sql})"
        tenures, params, order = (
            "selected",
            dict(zip(names, chosen_params, strict=True)),
            _ORDERS["selected"],
        )
        only = {
            "only_citations": "WHERE ci.tenure_id IN (SELECT id FROM selected)",
            "only_attestations": "WHERE tenure_id IN (SELECT id FROM selected)",
        }
    cells = ",\n  ".join(csv_cell_sql(f'exported."{column}"') for column in TENURE_COLUMNS)
    statement = _EXPORT_SQL.format(selected=selected, cells=cells, tenures=tenures, **only, **order)
    return statement, {**params, "separator": LIST_SEPARATOR}


def _copied_rows(queryset: models.QuerySet) -> Iterator[tuple[bytes, int]]:
    statement, params = tenure_export_statement(queryset)
    return copy_csv(connections[queryset.db], statement, params, COPY_SETTINGS)
