"""The tenure CSV import: every row checked, every error reported, all or nothing.

Rows are written as they are read, inside one transaction and each in its own savepoint, so a
row sees the rows before it as written (its predecessor, a clash with an earlier row, a person
an earlier row created) while the model's own rules and the database's constraints do the
checking. A bad row is rolled back to its savepoint and the next row goes on; at the end, any
error (or a dry run) rolls the whole transaction back, so nothing is half-written.

Saves happen only where something differs, so re-importing a file writes no history row.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Q

from governance.csv.format import (
    LIST_SEPARATOR,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    split_list,
    unescape_cell,
)
from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from governance.models.partial_date import PartialDate, end_before_start, start_key
from people.models import Person

_URL = re.compile(r"^https?://\S+$")
END_REASONS = [value for value, _ in Tenure.EndReason.choices]


@dataclass(frozen=True)
class RowError:
    """What was wrong and where: the line, the column, the value, and why."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}, value {self.value!r}: {self.reason}"


@dataclass
class RowAction:
    """What a row does (or would do, in a dry run): create, update, or nothing."""

    line: int
    action: str  # "create", "update" or "unchanged"
    tenure: str
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    actions: list[RowAction] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def count(self, action: str) -> int:
        return sum(1 for row in self.actions if row.action == action)

    def summary(self) -> str:
        verb = "would be" if self.dry_run or not self.ok else "were"
        text = (
            f"{self.rows} rows: {self.count('create')} tenures {verb} created, "
            f"{self.count('update')} {verb} changed, {self.count('unchanged')} unchanged."
        )
        if self.errors:
            text += f" {len(self.errors)} errors: nothing was written."
        elif self.dry_run:
            text += " Dry run: nothing was written."
        return text


class _RowRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def _describe(start: PartialDate | None) -> str:
    return start.isoformat() if start else "(unknown)"


def import_tenures(
    file: IO,
    *,
    filename: str,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a tenure CSV (bytes or text); write nothing unless every row is good.

    Reads what spreadsheets write: a UTF-8 byte-order mark, CRLF line ends, quoted fields
    holding commas and newlines.
    """
    if isinstance(file, io.TextIOBase):
        text = file
    else:
        # Bytes that are not UTF-8 pass through as lone surrogates, so that the cell holding
        # one is named (the decoder reads ahead of the reader: its error has no line number).
        text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="surrogateescape", newline="")
    result = ImportResult(filename=filename, dry_run=dry_run)
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        result.errors.append(RowError(1, "(header)", "", f"unreadable: {error}"))
        return result
    if header is None:
        result.errors.append(RowError(1, "(header)", "", "the file is empty: no header row"))
        return result
    for name in header:
        if problem := _cell_problem(name):
            result.errors.append(RowError(1, "(header)", _printable(name), problem))
            return result
    columns = [name.strip().lstrip("\ufeff").lower() for name in header]
    result.errors += _header_errors(columns)
    if result.errors:
        return result

    with transaction.atomic():
        importer = _Importer(result, user=user, reason=f"Imported from {filename}")
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as error:
                result.errors.append(RowError(line, "(row)", "", f"unreadable: {error}"))
                break
            if cells:
                result.rows += 1
                importer.import_row(line, columns, cells)
                if progress is not None:
                    progress(result.rows)
            line = reader.line_num + 1
        if result.errors or dry_run:
            transaction.set_rollback(True)
    return result


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _cell_problem(cell: str) -> str | None:
    """What makes a cell unusable as text anywhere, or None."""
    if match := _NOT_UTF8.search(cell):
        byte = ord(match.group()) - 0xDC00
        return f"unreadable: byte 0x{byte:02x} is not UTF-8; save the file as UTF-8"
    if "\x00" in cell:
        # PostgreSQL text cannot hold it (and no name or date needs it).
        return "a NUL character: remove it"
    return None


def _printable(cell: str) -> str:
    return _NOT_UTF8.sub("\ufffd", cell)


# Cells stored in a column of limited length, and that column.
_MAX_LENGTHS = {
    "person": Person._meta.get_field("name").max_length,
    "person_slug": Person._meta.get_field("slug").max_length,
    "company": Company._meta.get_field("name").max_length,
    "company_slug": Company._meta.get_field("slug").max_length,
    "title": Tenure._meta.get_field("title").max_length,
}


def _cell_errors(line: int, values: dict[str, str]) -> list[RowError]:
    errors = []
    for name, value in values.items():
        problem = _cell_problem(value)
        if problem is None and len(value) > _MAX_LENGTHS.get(name, len(value)):
            # SQLite would store it whole, PostgreSQL refuse it: both refuse it here.
            problem = f"longer than {_MAX_LENGTHS[name]} characters"
        if problem is not None:
            errors.append(RowError(line, name, _printable(value), problem))
    return errors


def _header_errors(columns: list[str]) -> list[RowError]:
    errors = []
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            errors.append(
                RowError(
                    1,
                    name,
                    "",
                    f"missing column {name!r}: the header needs "
                    f"{', '.join(REQUIRED_COLUMNS)} (and may add {', '.join(OPTIONAL_COLUMNS)})",
                )
            )
    for name in sorted({name for name in columns if name and columns.count(name) > 1}):
        errors.append(RowError(1, name, name, "this column appears twice in the header"))
    return errors


class _Importer:
    def __init__(self, result: ImportResult, user, reason: str):
        self.result = result
        self.user = user
        self.reason = reason
        self.roles: dict[str, Role] = {}
        for role in Role.objects.all():
            self.roles[role.slug.lower()] = role
            self.roles[role.name.lower()] = role
        self.role_slugs = sorted(role.slug for role in Role.objects.all())
        # Tenures written by this import: which line, so a clash can name it.
        self.line_of: dict[int, int] = {}
        # (person, company, role, start) of the rows written so far, for duplicates.
        self.seen: dict[tuple, int] = {}

    # -- writing with history ------------------------------------------------------------------

    def save(self, obj) -> None:
        obj._change_reason = self.reason
        obj._history_user = self.user
        obj.save()

    # -- one row ---------------------------------------------------------------------------------

    def import_row(self, line: int, columns: list[str], cells: list[str]) -> None:
        if len(cells) != len(columns):
            self.result.errors.append(
                RowError(
                    line,
                    "(row)",
                    LIST_SEPARATOR.join(cells)[:80],
                    f"the row has {len(cells)} cells but the header has {len(columns)} columns",
                )
            )
            return
        values = {name: unescape_cell(cell) for name, cell in zip(columns, cells, strict=True)}
        # Checked before any query: on PostgreSQL such a cell fails the query itself.
        problems = _cell_errors(line, values)
        if problems:
            self.result.errors += problems
            return
        try:
            with transaction.atomic():
                self._import(line, values)
        except _RowRejected as rejected:
            self.result.errors += rejected.errors
        except (IntegrityError, ValidationError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
            self.result.errors.append(RowError(line, "(row)", "", f"refused: {message}"))

    def _import(self, line: int, values: dict[str, str]) -> None:
        errors: list[RowError] = []

        def error(column: str, reason: str, value: str | None = None) -> None:
            errors.append(
                RowError(line, column, values.get(column, "") if value is None else value, reason)
            )

        role = self.roles.get(values["role"].strip().lower())
        if role is None:
            error("role", f"unknown role; the known roles are {', '.join(self.role_slugs)}")
        start = self._date(values, "start", error)
        end = self._date(values, "end", error)
        end_reason = values["end_reason"].strip()
        if end_reason not in END_REASONS and end_reason != "":
            error("end_reason", f"unknown end reason; use one of {', '.join(END_REASONS)}")
        if message := end_before_start(start, end):
            error("end", message)
        references = split_list(values["sources"])
        for reference in references:
            if not reference.strip():
                error("sources", f"an empty reference: separate references with {LIST_SEPARATOR!r}")
            elif len(reference) > 300:
                error("sources", "a reference longer than 300 characters", reference[:80])
        if len(set(references)) != len(references):
            error("sources", "a source is listed twice")
        days = self._days(values.get("attested", ""), error)
        person = self._record(Person, "person", values, error)
        company = self._record(Company, "company", values, error)
        if errors:
            raise _RowRejected(errors)

        key = (person.pk if person else None, company.pk if company else None, role.pk, start)
        if person and company and key in self.seen:
            error(
                "person",
                f"duplicate row: line {self.seen[key]} has the same person, company, role "
                f"({role.slug}) and start ({_describe(start)})",
            )
        predecessor = self._predecessor(values, person, company, role, start, error)
        if errors:
            raise _RowRejected(errors)

        changes: list[str] = []
        if person is None:
            person = Person(name=values["person"], slug=values.get("person_slug", "").strip())
            self.save(person)
            changes.append(f"new person {person.name} ({person.slug})")
        if company is None:
            company = Company(name=values["company"], slug=values.get("company_slug", "").strip())
            self.save(company)
            changes.append(f"new company {company.name} ({company.slug})")

        tenure = (
            Tenure.objects.filter(person=person, company=company, role=role)
            .filter(Q(start__isnull=True) if start is None else Q(start=start))
            .first()
        )
        created = tenure is None
        if created:
            tenure = Tenure(person=person, company=company, role=role, start=start)
        title = values["title"] or role.name
        tenure_changed = created
        for name, new in (
            ("title", title),
            ("end", end),
            ("end_reason", end_reason),
            ("predecessor", predecessor),
        ):
            old = getattr(tenure, name)
            if old != new:
                if not created:
                    changes.append(f"{name}: {_show(old)} → {_show(new)}")
                setattr(tenure, name, new)
                tenure_changed = True

        stored_days = set(tenure.attestations.values_list("day", flat=True)) if tenure.pk else set()
        conflict = tenure.first_conflict(attested_days=stored_days | set(days))
        if conflict is not None:
            where = (
                f"line {self.line_of[conflict.pk]} ({conflict})"
                if conflict.pk in self.line_of
                else f"the stored tenure {conflict}"
            )
            error(
                "start",
                f"{role} is a single-seat role and this tenure would overlap {where} "
                "by two or more certain days",
                _describe(start),
            )
            raise _RowRejected(errors)

        if tenure_changed:
            self.save(tenure)

        cited = dict(tenure.citations.values_list("source_id", "position")) if not created else {}
        position = max(cited.values(), default=-1) + 1
        for reference in references:
            source = self._source(reference)
            if source.pk is None:
                self.save(source)
                changes.append(f"new source {reference}")
            if source.pk not in cited:
                self.save(Citation(tenure=tenure, source=source, position=position))
                cited[source.pk] = position
                position += 1
                if not created:
                    changes.append(f"source added: {reference}")
        for day in sorted(set(days) - stored_days):
            self.save(Attestation(tenure=tenure, day=day))
            if not created:
                changes.append(f"attested day added: {day.isoformat()}")

        self.line_of[tenure.pk] = line
        self.seen[(person.pk, company.pk, role.pk, start)] = line
        action = "create" if created else ("update" if changes else "unchanged")
        self.result.actions.append(RowAction(line, action, str(tenure), changes))

    # -- cells -----------------------------------------------------------------------------------

    @staticmethod
    def _date(values: dict[str, str], column: str, error) -> PartialDate | None:
        text = values[column].strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as problem:
            error(column, str(problem))
            return None

    @staticmethod
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

    def _record(self, model, column: str, values: dict[str, str], error):
        """The stored person or company the row names, or None when it is to be created."""
        name = values[column]
        slug = values.get(f"{column}_slug", "").strip()
        if not name.strip():
            error(column, f"a {column} name is required")
            return None
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                error(f"{column}_slug", "not a slug: use letters, digits, - and _")
                return None
            # Matched by slug alone: no fallback to the name.
            return model.objects.filter(slug=slug).first()
        matches = list(self._named(model, name)[:6])
        if len(matches) > 1:
            slugs = ", ".join(match.slug for match in matches[:5])
            error(
                column,
                f"ambiguous {column}: the name fits {len(matches)} records ({slugs}); "
                f"give {column}_slug to say which",
            )
            return None
        return matches[0] if matches else None

    @staticmethod
    def _named(model, name: str):
        if model is Person:
            return Person.objects.named(name)
        name = name.strip()
        return Company.objects.filter(
            Q(name__iexact=name) | Q(former_names__name__iexact=name)
        ).distinct()

    def _predecessor(self, values, person, company, role, start, error) -> Tenure | None:
        name = values["replaces"]
        slug = values.get("replaces_slug", "").strip()
        if not name.strip() and not slug:
            return None
        if slug:
            previous = Person.objects.filter(slug=slug).first()
            if previous is None:
                error("replaces_slug", "names nobody: no person has this slug")
                return None
        else:
            matches = list(Person.objects.named(name)[:6])
            if len(matches) > 1:
                slugs = ", ".join(match.slug for match in matches[:5])
                error(
                    "replaces",
                    f"ambiguous person: the name fits {len(matches)} records ({slugs}); "
                    "give replaces_slug to say which",
                )
                return None
            if not matches:
                error("replaces", "names nobody: no person has this name")
                return None
            previous = matches[0]
        if start is None:
            error("replaces", "this tenure's start is unknown, so no tenure can come before it")
            return None
        candidates = [
            tenure
            for tenure in (
                Tenure.objects.filter(person=previous, company=company, role=role)
                if company is not None
                else []
            )
            if start_key(tenure.start) < start_key(start)
        ]
        if not candidates:
            error(
                "replaces",
                f"names nobody: {previous} has no {role} tenure at "
                f"{values['company']} starting before {start}",
            )
            return None
        return max(candidates, key=lambda tenure: start_key(tenure.start))

    def _source(self, reference: str) -> Source:
        if _URL.match(reference):
            found = Source.objects.filter(url=reference).first()
            if found is not None:
                return found
            return Source.objects.filter(title=reference).first() or Source(
                kind=Source.Kind.OTHER, title=reference, url=reference
            )
        return Source.objects.filter(title=reference).first() or Source(
            kind=Source.Kind.OTHER, title=reference
        )


def _show(value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, PartialDate):
        return value.isoformat()
    return str(value)


def format_errors(errors: Iterable[RowError]) -> str:
    return "\n".join(str(error) for error in errors)
