"""The tenure import's inferred and inferred_note columns, and its last_confirmed column (read
past: derived, whatever the file holds there)."""

import pytest

from governance.models import Tenure
from tests.csv_helpers import export_text, history_count, import_text

HEADER = "person,company,role,title,start,end,end_reason,replaces,sources,inferred,inferred_note"


def csv_with(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def anderson():
    return Tenure.objects.get(
        person__slug="pat-anderson", role__slug="president", company__slug="innovo-group"
    )


def errors_of(result):
    return [(error.line, error.column, error.value, error.reason) for error in result.errors]


def test_it_sets_the_inferred_facts_and_note_as_the_file_writes_them(db):
    result = import_text(
        csv_with('Ann Lee,Acme,director,,2001,2004,resigned,,,end | start,"from the 10-K, p. 3"')
    )
    assert result.ok, result.errors
    tenure = Tenure.objects.get()
    assert (tenure.inferred, tenure.inferred_note) == ("end | start", "from the 10-K, p. 3")
    assert tenure.inferred_fields == ["end", "start"]


def test_a_change_to_the_flags_or_the_note_is_an_update_with_a_history_row(demo):
    text = export_text().replace(
        ',end,"read from the announcement', ',end | start,"read from the announcement', 1
    )
    assert text != export_text()
    before = anderson().history.count()
    result = import_text(text, filename="marks.csv")
    assert result.ok, result.errors
    assert (result.count("update"), result.count("unchanged")) == (1, 6)
    (action,) = [action for action in result.actions if action.action == "update"]
    assert action.changes == ["inferred: end → end | start"]
    tenure = anderson()
    assert tenure.inferred == "end | start"
    assert tenure.history.count() == before + 1
    assert tenure.history.first().history_change_reason == "Imported from marks.csv"


def test_an_emptied_note_and_flags_are_a_change(demo):
    text = export_text()
    start = text.index(',end,"read from the announcement')
    end = text.index("given", start) + len('given"')
    result = import_text(text[:start] + ",," + text[end:])
    assert result.ok, result.errors
    assert result.count("update") == 1
    assert (anderson().inferred, anderson().inferred_note) == ("", "")


def test_an_unchanged_file_writes_no_history_row(demo):
    before = history_count()
    result = import_text(export_text())
    assert result.ok and result.count("unchanged") == 7
    assert history_count() == before


def test_a_file_without_the_columns_keeps_the_stored_marks(demo):
    text = (
        "person,company,role,title,start,end,end_reason,replaces,sources,person_slug,company_slug\r\n"
        "Pat Anderson,Innovo Group Inc.,president,President,1990-07,2004-09,resigned,,,"
        "pat-anderson,innovo-group\r\n"
    )
    result = import_text(text)
    assert result.ok, result.errors
    assert result.count("unchanged") == 1
    assert anderson().inferred == "end"
    assert anderson().inferred_note.startswith("read from the announcement")


def test_a_file_with_only_the_note_column_keeps_the_stored_flags(demo):
    text = (
        "person,company,role,title,start,end,end_reason,replaces,sources,person_slug,"
        "company_slug,inferred_note\r\n"
        "Pat Anderson,Innovo Group Inc.,president,President,1990-07,2004-09,resigned,,,"
        "pat-anderson,innovo-group,a new note\r\n"
    )
    assert import_text(text).ok
    assert (anderson().inferred, anderson().inferred_note) == ("end", "a new note")


@pytest.mark.parametrize(
    "cell, unknown",
    [
        ("finish", "'finish'"),
        ("end | Start", "'Start'"),
        ("end|start", "'end|start'"),
        (" | end", "''"),
    ],
)
def test_an_unknown_field_name_is_a_row_error_naming_the_allowed_ones(db, cell, unknown):
    result = import_text(
        csv_with(
            "Ann Lee,Acme,director,,2001,,,,,title,", f"Bob Ray,Acme,director,,2001,,,,,{cell},"
        )
    )
    ((line, column, value, reason),) = errors_of(result)
    assert (line, column, value) == (3, "inferred", cell)
    assert reason == (
        f"unknown field {unknown}: name the inferred facts from person, title, start, end, "
        "end_reason, replaces, separated by ' | '"
    )
    assert not Tenure.objects.exists()


def test_every_bad_row_is_named_and_nothing_is_written(db):
    result = import_text(
        csv_with(
            "Ann Lee,Acme,director,,2001,,,,,start,",
            "Bob Ray,Acme,director,,2001,,,,,finish,",
            "Cy Fox,Acme,director,,2001,,,,,end | end,",
        )
    )
    assert [(line, column) for line, column, *_ in errors_of(result)] == [
        (3, "inferred"),
        (4, "inferred"),
    ]
    assert errors_of(result)[1][3] == "a field is listed twice"
    assert not Tenure.objects.exists()


def test_a_note_starting_like_a_formula_round_trips(db):
    text = csv_with("Ann Lee,Acme,director,,2001,,,,,title,'=from the proxy")
    assert import_text(text).ok
    assert Tenure.objects.get().inferred_note == "=from the proxy"
    assert ",'=from the proxy," in export_text()


# -- last_confirmed ----------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["1999-01-01", "not a date", "=1+2", "2004-13-45", "\x00"])
def test_last_confirmed_is_ignored_whatever_it_holds(demo, cell):
    text = export_text().replace(",innovo-group,,2004-09-08,", f",innovo-group,,{cell},")
    assert text != export_text()
    before = history_count()
    result = import_text(text)
    assert result.ok, result.errors
    assert result.count("unchanged") == 7
    assert history_count() == before
    assert {str(t.last_confirmed) for t in Tenure.objects.all()} == {"8 Sep 2004"}
