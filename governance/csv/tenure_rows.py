"""The parse step of the tenure import: one CSV row read into checked values, without a query."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.validators import validate_slug
from django.db import models
from django.db.models import ExpressionWrapper, F

from governance.csv.format import LIST_SEPARATOR, join_list, split_list, unescape_cell
from governance.csv.import_result import RowError
from governance.models import Company, Role, Tenure
from governance.models.partial_date import PartialDate, end_before_start
from governance.models.tenures import INFERABLE_FIELDS
from people.identifiers import InvalidCik, normalise_cik
from people.models import Person
from people.names import search_key_problem

END_REASONS = [value for value, _ in Tenure.EndReason.choices]
_NOT_UTF8 = re.compile("[\udc80-\udcff]")

# Cells stored in a column of limited length, and that column.
_MAX_LENGTHS = {
    "person": Person._meta.get_field("name").max_length,
    "person_slug": Person._meta.get_field("slug").max_length,
    "company": Company._meta.get_field("name").max_length,
    "company_slug": Company._meta.get_field("slug").max_length,
    "title": Tenure._meta.get_field("title").max_length,
}
_MAX_REFERENCE = 300
# Columns the import reads past: derived on export, whatever the file holds there.
IGNORED_COLUMNS = ("last_confirmed",)
# Django's validate_slug, compiled once (its lazy regex costs more than the match).
_SLUG = re.compile(validate_slug.regex.pattern, validate_slug.regex.flags)


@dataclass(slots=True)
class NamedRecord:
    """A person or company as a row names it: a name, maybe a slug and a CIK (normalised; empty:
    none given), and what makes it unusable."""

    column: str
    name: str
    slug: str
    problem: RowError | None
    cik: str = ""


@dataclass(slots=True)
class ParsedRow:
    """One row's values, parsed; errors holds what is wrong with them (the names aside)."""

    line: int
    role: Role | None
    title: str
    start: PartialDate | None
    end: PartialDate | None
    end_reason: str
    references: list[str]
    days: list[datetime.date]
    person: NamedRecord
    company: NamedRecord
    replaces: str
    replaces_slug: str
    replaces_slug_cell: str
    errors: list[RowError]
    # The inferred facts and their note as the file writes them; None: the file has no such
    # column, and the stored ones stay.
    inferred: str | None = None
    inferred_note: str | None = None


class RoleCatalogue:
    """The roles, by slug or name in any case, read once per import."""

    def __init__(self) -> None:
        self.by_name: dict[str, Role] = {}
        self.by_pk: dict[int, Role] = {}
        for role in Role.objects.all():
            self.by_pk[role.pk] = role
            self.by_name[role.slug.lower()] = role
            self.by_name[role.name.lower()] = role
        self.slugs = sorted({role.slug for role in self.by_name.values()})

    def get(self, text: str) -> Role | None:
        return self.by_name.get(text.strip().lower())


def cell_problem(cell: str) -> str | None:
    """What makes a cell unusable as text anywhere, or None."""
    if match := _NOT_UTF8.search(cell):
        byte = ord(match.group()) - 0xDC00
        return f"unreadable: byte 0x{byte:02x} is not UTF-8; save the file as UTF-8"
    if "\x00" in cell:
        # PostgreSQL text cannot hold it (and no name or date needs it).
        return "a NUL character: remove it"
    return None


def printable(cell: str) -> str:
    return _NOT_UTF8.sub("\ufffd", cell)


def _cell_errors(line: int, values: dict[str, str]) -> list[RowError]:
    errors = []
    for name, value in values.items():
        problem = cell_problem(value)
        if problem is None and len(value) > _MAX_LENGTHS.get(name, len(value)):
            # SQLite would store it whole, PostgreSQL refuse it: both refuse it here.
            problem = f"longer than {_MAX_LENGTHS[name]} characters"
        if problem is not None:
            errors.append(RowError(line, name, printable(value), problem))
    return errors


def _quick_cell_errors(line: int, cells: list[str], values: dict[str, str]) -> list[RowError]:
    # Nearly every row is clean: one look at the whole row before looking cell by cell.
    joined = "".join(cells)
    if "\x00" in joined or _NOT_UTF8.search(joined):
        return _cell_errors(line, values)
    return [
        RowError(line, name, value, f"longer than {_MAX_LENGTHS[name]} characters")
        for name, value in values.items()
        if name in _MAX_LENGTHS and len(value) > _MAX_LENGTHS[name]
    ]


def parse_row(
    line: int, columns: list[str], cells: list[str], roles: RoleCatalogue
) -> ParsedRow | list[RowError]:
    """The row's parsed values, or the errors that stop it being read at all."""
    if len(cells) != len(columns):
        return [
            RowError(
                line,
                "(row)",
                LIST_SEPARATOR.join(cells)[:80],
                f"the row has {len(cells)} cells but the header has {len(columns)} columns",
            )
        ]
    values = {
        name: unescape_cell(cell)
        for name, cell in zip(columns, cells, strict=True)
        if name not in IGNORED_COLUMNS
    }
    # Checked before any query: on PostgreSQL such a cell fails the query itself.
    if problems := _quick_cell_errors(line, cells, values):
        return problems
    return _parse_values(line, values, roles)


def _parse_values(line: int, values: dict[str, str], roles: RoleCatalogue) -> ParsedRow:
    errors: list[RowError] = []

    def error(column: str, reason: str, value: str | None = None) -> None:
        errors.append(
            RowError(line, column, values.get(column, "") if value is None else value, reason)
        )

    role = roles.get(values["role"])
    if role is None:
        error("role", f"unknown role; the known roles are {', '.join(roles.slugs)}")
    start = _date(values, "start", error)
    end = _date(values, "end", error)
    end_reason = values["end_reason"].strip()
    if end_reason not in END_REASONS and end_reason != "":
        error("end_reason", f"unknown end reason; use one of {', '.join(END_REASONS)}")
    if message := end_before_start(start, end):
        error("end", message)
    references = _references(values["sources"], error)
    days = _days(values.get("attested", ""), error)
    person = _named_record("person", values, line, error)
    company = _named_record("company", values, line, error)
    return ParsedRow(
        line=line,
        role=role,
        title=values["title"],
        start=start,
        end=end,
        end_reason=end_reason,
        references=references,
        days=days,
        person=person,
        company=company,
        replaces=values["replaces"],
        replaces_slug=values.get("replaces_slug", "").strip(),
        replaces_slug_cell=values.get("replaces_slug", ""),
        errors=errors,
        inferred=_inferred(values, error),
        inferred_note=values.get("inferred_note"),
    )


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> PartialDate:
    # Dates repeat across rows; a PartialDate is immutable, so one object serves them all.
    return PartialDate.parse(text)


def parse_date(text: str | None) -> PartialDate | None:
    """A partial date as stored (ISO text, NULL: unknown)."""
    return None if text is None else _parse_date(text)


def as_text(field: str) -> ExpressionWrapper:
    """A partial-date column as its stored text, for parse_date (no PartialDate per row)."""
    return ExpressionWrapper(F(field), output_field=models.CharField())


def _date(values: dict[str, str], column: str, error) -> PartialDate | None:
    text = values[column].strip()
    if not text:
        return None
    try:
        return _parse_date(text)
    except ValueError as problem:
        error(column, str(problem))
        return None


def _references(text: str, error) -> list[str]:
    references = split_list(text)
    for reference in references:
        if not reference.strip():
            error("sources", f"an empty reference: separate references with {LIST_SEPARATOR!r}")
        elif len(reference) > _MAX_REFERENCE:
            error("sources", f"a reference longer than {_MAX_REFERENCE} characters", reference[:80])
    if len(set(references)) != len(references):
        error("sources", "a source is listed twice")
    return references


def _days(text: str, error) -> list[datetime.date]:
    days = []
    for item in split_list(text):
        try:
            if len(item.strip()) != 10:
                raise ValueError
            days.append(datetime.date.fromisoformat(item.strip()))
        except ValueError:
            error("attested", f"{item!r} is not a day: use YYYY-MM-DD", item)
    return days


def _inferred(values: dict[str, str], error) -> str | None:
    """The `inferred` cell's field names, or None when the file has no such column."""
    if "inferred" not in values:
        return None
    names = [name.strip() for name in split_list(values["inferred"])]
    unknown = [name for name in names if name not in INFERABLE_FIELDS]
    if unknown:
        error(
            "inferred",
            f"unknown field {', '.join(repr(name) for name in unknown)}: name the inferred "
            f"facts from {', '.join(INFERABLE_FIELDS)}, separated by {LIST_SEPARATOR!r}",
        )
    elif len(set(names)) != len(names):
        error("inferred", "a field is listed twice")
    return join_list(names)


def _cik(column: str, values: dict[str, str], error) -> str:
    """The row's CIK for the person or company, normalised; empty: none given (or malformed,
    which is an error)."""
    try:
        return normalise_cik(values.get(column, ""))
    except InvalidCik as problem:
        error(column, str(problem))
        return ""


def _named_record(column: str, values: dict[str, str], line: int, error) -> NamedRecord:
    """The person or company cells; a missing name or a bad slug is a problem found here (a
    malformed CIK an error of the row), while an ambiguous name is found when the batch is
    matched."""
    name = values[column]
    slug_column = f"{column}_slug"
    slug = values.get(slug_column, "").strip()
    problem = None
    if not name.strip():
        problem = RowError(line, column, name, f"a {column} name is required")
    # An ASCII name's search key is never longer than the name: only others are normalised here.
    elif column == "person" and not name.isascii() and (key_problem := search_key_problem(name)):
        problem = RowError(line, column, name, key_problem)
    elif slug:
        if not _SLUG.match(slug):
            problem = RowError(
                line,
                slug_column,
                values[slug_column],
                "not a slug: use letters, digits, - and _",
            )
    return NamedRecord(column, name, slug, problem, _cik(f"{column}_cik", values, error))
