"""The tenure CSV import: every row checked, every error reported, all or nothing.

A pipeline over batches of rows, streamed from the file: parse (tenure_rows: values checked,
no query), match (matching, tenure_match: the batch's names, sources and tenures looked up in a
fixed number of queries, then each row decided in memory in file order, seeing what the rows
before it made), write (tenure_write: bulk inserts and updates with history rows). All batches
run in one transaction; any error, or a dry run, rolls it back at the end, so nothing is
half-written, while every row is still checked against the rows before it as written.

Only what differs is written, so re-importing a file writes no history row.
"""

from __future__ import annotations

import csv
import gc
import io
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from django.db import DatabaseError, transaction

from governance.csv.bulk import Statistics
from governance.csv.format import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from governance.csv.import_result import ImportResult, RowAction, RowError, format_errors
from governance.csv.matching import BatchLookup
from governance.csv.tenure_match import BatchMatcher, TenureIndex
from governance.csv.tenure_rows import ParsedRow, RoleCatalogue, cell_problem, parse_row, printable
from governance.csv.tenure_write import BatchWriter
from governance.models import Attestation, Citation, Company, Source, Tenure
from people.models import Person
from records.concurrency import ImportBusy, take_import_lock

__all__ = ["ImportResult", "RowAction", "RowError", "format_errors", "import_tenures"]

# Rows matched and written together: each batch costs a fixed number of queries.
BATCH_SIZE = 5000

Batch = list[ParsedRow | list[RowError]]


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
    result = ImportResult(filename=filename, dry_run=dry_run)
    reader = csv.reader(_text(file))
    columns = _read_header(reader, result)
    if columns is None:
        return result
    with transaction.atomic(), _without_cycle_collection():
        try:
            take_import_lock()
        except ImportBusy as error:
            result.errors.append(RowError(1, "(file)", "", str(error)))
            return result
        roles = RoleCatalogue()
        # Tenures this import wrote or matched, and the line that did: to name in a clash or
        # a duplicate. Two ints a row.
        line_of: dict[int, int] = {}
        reason = f"Imported from {filename}"
        statistics = Statistics([Person, Company, Source, Tenure, Citation, Attestation])
        for batch in _read_ahead(_batches(reader, columns, roles, result, progress)):
            matcher = _match(batch, roles, line_of, result)
            if not _write(matcher, batch, user, reason, line_of, result):
                break
            statistics.inserted_rows(sum(1 for state in matcher.touched if state.created))
        if result.errors or dry_run:
            transaction.set_rollback(True)
    return result


@contextmanager
def _without_cycle_collection():
    """The import allocates millions of short-lived objects that form no reference cycles;
    the cycle collector's passes over them took 40% of its Python time (measured at 100,000
    rows). Reference counting frees them all the same; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _text(file: IO) -> IO[str]:
    if isinstance(file, io.TextIOBase):
        return file
    # Bytes that are not UTF-8 pass through as lone surrogates, so that the cell holding one
    # is named (the decoder reads ahead of the reader: its error has no line number).
    return io.TextIOWrapper(file, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _read_header(reader, result: ImportResult) -> list[str] | None:
    """The header's column names, or None with the reason in result.errors."""
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        result.errors.append(RowError(1, "(header)", "", f"unreadable: {error}"))
        return None
    if header is None:
        result.errors.append(RowError(1, "(header)", "", "the file is empty: no header row"))
        return None
    for name in header:
        if problem := cell_problem(name):
            result.errors.append(RowError(1, "(header)", printable(name), problem))
            return None
    columns = [name.strip().lstrip("\ufeff").lower() for name in header]
    result.errors += _header_errors(columns)
    return None if result.errors else columns


def _header_errors(columns: list[str]) -> list[RowError]:
    errors = []
    # One pass over the header, however wide: counting each name's occurrences with
    # columns.count() took 240 s over 100,000 columns.
    occurrences = Counter(columns)
    for name in REQUIRED_COLUMNS:
        if name not in occurrences:
            errors.append(
                RowError(
                    1,
                    name,
                    "",
                    f"missing column {name!r}: the header needs "
                    f"{', '.join(REQUIRED_COLUMNS)} (and may add {', '.join(OPTIONAL_COLUMNS)})",
                )
            )
    for name in sorted(name for name, count in occurrences.items() if name and count > 1):
        errors.append(RowError(1, name, name, "this column appears twice in the header"))
    return errors


def _batches(
    reader, columns: list[str], roles: RoleCatalogue, result: ImportResult, progress
) -> Iterator[Batch]:
    """The parse step: rows read and parsed, BATCH_SIZE at a time. A row that cannot be used
    at all stands in its batch as its list of errors, so errors keep the file's order."""
    batch: Batch = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except (csv.Error, UnicodeDecodeError) as error:
            batch.append([RowError(line, "(row)", "", f"unreadable: {error}")])
            break
        if cells:
            result.rows += 1
            batch.append(parse_row(line, columns, cells, roles))
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = []
                if progress is not None:
                    progress(result.rows)
        line = reader.line_num + 1
    if batch:
        yield batch
    if progress is not None:
        progress(result.rows)


def _read_ahead(batches: Iterator[Batch]) -> Iterator[Batch]:
    """The batches, parsed in a thread of their own while the caller matches and writes the
    ones before (which mostly waits on the database, the GIL released): two steps at once."""
    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item) -> bool:
        """Queue item for the caller; False once the caller has stopped reading."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def parse() -> None:
        try:
            for batch in batches:
                if not hand_over(("batch", batch)):
                    return
            hand_over(("end", None))
        except BaseException as error:  # handed to the caller, raised there
            hand_over(("error", error))

    thread = threading.Thread(target=parse, name="import-parse", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = ready.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def _match(batch: Batch, roles: RoleCatalogue, line_of, result: ImportResult) -> BatchMatcher:
    """The match step: the batch's lookups in a fixed number of queries, then row by row."""
    rows = [row for row in batch if isinstance(row, ParsedRow)]
    lookup = BatchLookup()
    _fetch_records(lookup, rows)
    tenures = TenureIndex(roles.by_pk)
    tenures.fetch(lookup, rows, line_of)
    matcher = BatchMatcher(lookup, tenures, result)
    for row in batch:
        if isinstance(row, ParsedRow):
            matcher.match(row)
        else:
            result.errors += row
    matcher.label_stored_predecessors()
    return matcher


def _fetch_records(lookup: BatchLookup, rows: list[ParsedRow]) -> None:
    persons = [row.person for row in rows if row.person.problem is None]
    lookup.fetch_persons(
        slugs={person.slug for person in persons if person.slug}
        | {row.replaces_slug for row in rows if row.replaces_slug},
        names={person.name for person in persons if not person.slug}
        | {row.replaces for row in rows if not row.replaces_slug and row.replaces.strip()},
        ciks={person.cik for person in persons if person.cik},
    )
    companies = [row.company for row in rows if row.company.problem is None]
    lookup.fetch_companies(
        slugs={company.slug for company in companies if company.slug},
        names={company.name for company in companies if not company.slug},
        slugged_names={company.name for company in companies if company.slug},
        ciks={company.cik for company in companies if company.cik},
    )
    lookup.sources.fetch({reference for row in rows for reference in row.references})


def _write(matcher: BatchMatcher, batch: Batch, user, reason, line_of, result) -> bool:
    """The write step; False if the database refused the batch (which no check foresaw)."""
    try:
        with transaction.atomic():
            BatchWriter(matcher, user=user, reason=reason).write(line_of)
    except DatabaseError as error:
        lines = [row.line for row in batch if isinstance(row, ParsedRow)] or [0]
        result.errors.append(
            RowError(
                lines[0],
                "(row)",
                "",
                f"refused: lines {lines[0]}–{lines[-1]} could not be written: {error}",
            )
        )
        return False
    return True
