"""Hostile input to the tenure CSV import: every column, every kind of bad value, never a
traceback; an import that reports an error writes nothing. Also the wide header and the long
search key, which once were a four-minute check and a traceback."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.csv import tenure_import
from governance.csv.format import REQUIRED_COLUMNS, TENURE_COLUMNS
from governance.csv.tenure_import import import_tenures
from governance.models import Tenure
from people.models import Person
from tests.hostile_inputs import CHOSEN, fuzz, hostile_text, record_state

# A row the demo record accepts: a new tenure of a new person, every column filled.
GOOD_ROW = {
    "person": "Fuzz Tester",
    "company": "Innovo Group Inc.",
    "role": "director",
    "title": "Director",
    "start": "2001-02",
    "end": "2002",
    "end_reason": "resigned",
    "replaces": "",
    "sources": "https://example.com/8-k | Annual report 2001",
    "attested": "2001-06-01",
    "person_slug": "fuzz-tester",
    "company_slug": "innovo-group",
    "replaces_slug": "",
    "last_confirmed": "2001-06-01",
    "inferred": "",
    "inferred_note": "",
    "person_cik": "",
    "company_cik": "",
}
COLUMNS = TENURE_COLUMNS


def csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows([[row[name] for name in columns] for row in rows])
    # A lone surrogate stands for a byte that is not UTF-8, as a file from elsewhere holds.
    return text.getvalue().encode("utf-8", "surrogateescape")


def import_bytes(data: bytes):
    return import_tenures(io.BytesIO(data), filename="fuzz.csv")


def assert_refused_or_written(data: bytes):
    before = record_state()
    result = import_bytes(data)  # raises on a traceback
    if result.errors:
        assert record_state() == before, result.errors
        for error in result.errors:
            assert error.reason and str(error)
    return result


def rows_with(column: str, values: list[str]) -> list[dict]:
    """GOOD_ROW once per value, in column; each row a tenure of its own person."""
    rows = []
    for n, value in enumerate(values):
        row = {**GOOD_ROW, "person": f"Fuzz Tester {n}", "person_slug": f"fuzz-tester-{n}"}
        rows.append({**row, column: value})
    return rows


def test_every_chosen_hostile_value_in_each_column_is_an_error_or_imported(demo):
    # A file with errors is still matched and written row by row before it is rolled back:
    # every good-looking row reaches the database.
    for column in COLUMNS:
        assert_refused_or_written(csv_bytes(rows_with(column, CHOSEN)))


@fuzz(examples=30)
@given(column=st.sampled_from(COLUMNS), values=st.lists(hostile_text, min_size=1, max_size=4))
def test_hostile_values_in_any_column_are_errors_or_imported(demo, column, values):
    assert_refused_or_written(csv_bytes(rows_with(column, values)))


@fuzz(examples=25)
@given(row=st.fixed_dictionaries({name: hostile_text for name in COLUMNS}))
def test_a_row_of_hostile_values_is_an_error_or_imported(demo, row):
    assert_refused_or_written(csv_bytes([row]))


@fuzz(examples=20)
@given(header=st.lists(hostile_text, max_size=15))
def test_a_hostile_header_is_an_error(db, header):
    result = assert_refused_or_written(csv_bytes([], columns=header))
    if not set(REQUIRED_COLUMNS) <= {name.strip().lower() for name in header}:
        assert result.errors


@pytest.mark.parametrize("name", ["ß" * 150, "\ufdfa" * 200, "Ann " + "ﬃ" * 100])
def test_a_name_whose_search_key_outgrows_its_column_is_a_row_error(demo, name):
    # Within the 200 characters of a name, but the key is 300, 3,600 and 303 characters: the
    # import wrote it and PostgreSQL refused it, a traceback.
    before = record_state()
    result = import_bytes(csv_bytes([{**GOOD_ROW, "person": name, "person_slug": ""}]))
    assert [(error.line, error.column, error.value) for error in result.errors] == [
        (2, "person", name)
    ]
    assert "at most 200 fit: shorten the name" in result.errors[0].reason
    assert record_state() == before


def test_a_name_whose_search_key_fits_is_imported(demo):
    name = "ß" * 100  # "ss" * 100: exactly the 200 characters of the key
    result = import_bytes(csv_bytes([{**GOOD_ROW, "person": name, "person_slug": ""}]))
    assert result.ok, result.errors
    assert Person.objects.get(name=name).search_key == "ss" * 100


class CountingName(str):
    """A column name that counts how often it is compared or hashed: the header check's work."""

    work = 0

    def __eq__(self, other):
        CountingName.work += 1
        return str.__eq__(self, other)

    def __hash__(self):
        CountingName.work += 1
        return str.__hash__(self)


def test_the_header_check_is_linear_in_the_number_of_columns():
    columns = [CountingName(f"extra_{n}") for n in range(2000)]
    columns += [CountingName(name) for name in TENURE_COLUMNS]
    columns.append(CountingName("person"))
    CountingName.work = 0
    errors = tenure_import._header_errors(columns)
    assert [(error.column, error.reason) for error in errors] == [
        ("person", "this column appears twice in the header")
    ]
    # columns.count() per name compared every pair: about 4,000,000 comparisons here.
    assert CountingName.work <= 5 * len(columns)


def test_a_header_of_100000_columns_is_checked_and_its_errors_reported(db):
    header = [f"extra_{n}" for n in range(100_000 - len(REQUIRED_COLUMNS))] + REQUIRED_COLUMNS
    header[:4] = ["person", "attested", "attested", "sources"]  # person, attested twice
    header[-1] = "notes"  # sources, moved to the front: once
    result = import_bytes(",".join(header).encode() + b"\r\n")
    assert len(header) == 100_000
    assert [(error.column, error.reason) for error in result.errors] == [
        ("attested", "this column appears twice in the header"),
        ("person", "this column appears twice in the header"),
    ]
    assert not Tenure.objects.exists()
