"""The tenure CSV as DESIGN.md fixes it: columns, list cells, formula-injection escaping, and
how a CSV file is named and streamed.

One home for the format, shared by every export and by the import, so that what one writes
the other reads back unchanged.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

# Import needs these, in any order; export writes them in this order.
REQUIRED_COLUMNS = [
    "person",
    "company",
    "role",
    "title",
    "start",
    "end",
    "end_reason",
    "replaces",
    "sources",
]
# Export writes these after the required ones; import uses them when present, except
# last_confirmed: derived from the tenure's evidence, written for readers, ignored on import.
OPTIONAL_COLUMNS = [
    "attested",
    "person_slug",
    "company_slug",
    "replaces_slug",
    "last_confirmed",
    "inferred",
    "inferred_note",
    "person_cik",
    "company_cik",
]
TENURE_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Separates the references of `sources`, the days of `attested` and the fields of `inferred`
# (records.inferences.INFERRED_SEPARATOR, the same text).
LIST_SEPARATOR = " | "

# OWASP: a cell a spreadsheet might read as a formula (or a cell already starting with the
# escape character) is written with one ' in front. Import removes a leading ' only when one
# of these follows it, so "'t Hart" typed by hand stays intact and every value round-trips.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(text: str) -> str:
    """The cell as written: with a leading ' when a spreadsheet could take it for a formula."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The value a written cell holds: one leading ' removed, only before a formula start."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def join_list(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def split_list(text: str) -> list[str]:
    """The items of a list cell; an empty cell is an empty list."""
    if not text.strip():
        return []
    return text.split(LIST_SEPARATOR)


class _Echo:
    """A file-like object whose write() hands back what it is given, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The CSV text of header and rows, one line at a time, every cell escaped.

    Lines end with CRLF, as RFC 4180 and spreadsheets write them.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[str]], lines_per_chunk: int = 500
) -> Iterator[str]:
    """csv_lines() gathered into chunks: fewer, larger writes to a socket or file."""
    batch: list[str] = []
    for line in csv_lines(header, rows):
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def export_filename(kind: str, parts: Iterable[str] = (), taken: datetime.datetime | None = None):
    """'tenures-innovo-group-2026-11-25T1412Z.csv': what it holds and when it was taken (UTC)."""
    taken = taken or datetime.datetime.now(datetime.UTC)
    stamp = taken.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H%MZ")
    return "-".join([kind, *parts, stamp]) + ".csv"


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> StreamingHttpResponse:
    """A CSV download streamed as its rows are read, never held whole in memory."""
    return csv_file_response(filename, (chunk.encode() for chunk in csv_chunks(header, rows)))


def csv_file_response(filename: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    """A CSV download streamed from the file's bytes as they come."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
