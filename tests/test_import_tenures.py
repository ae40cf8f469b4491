import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from governance.demo import RELEASE_TITLE
from governance.models import Company, Tenure
from governance.models.partial_date import PartialDate
from people.models import Person
from tests.csv_helpers import empty_record, export_text, history_count, import_text, tenure_csv


def errors_of(result):
    return [(error.line, error.column, error.value, error.reason) for error in result.errors]


# -- round trip ---------------------------------------------------------------------------------


def test_the_demo_round_trips_byte_for_byte_through_a_database_holding_its_sources(demo):
    first = export_text()
    empty_record()
    result = import_text(first)
    assert result.ok, result.errors
    assert result.count("create") == 7
    assert export_text() == first


def test_into_a_fresh_database_only_last_confirmed_from_source_dates_differs(demo):
    text = export_text()
    first = list(csv.DictReader(io.StringIO(text)))
    empty_record(keep_sources=False)
    assert import_text(text).ok
    again = list(csv.DictReader(io.StringIO(export_text())))
    for before, after in zip(first, again, strict=True):
        # The created sources are undated: the latest attested day, if any, is the evidence.
        days = before["attested"].split(" | ") if before["attested"] else []
        assert after["last_confirmed"] == max(days, default="")
        assert {**after, "last_confirmed": ""} == {**before, "last_confirmed": ""}
    assert {row["last_confirmed"] for row in first} == {"2004-09-08"}


def test_reimporting_an_export_changes_nothing_and_writes_no_history(demo):
    text = export_text()
    before = history_count()
    result = import_text(text)
    assert result.ok and result.count("unchanged") == 7
    assert history_count() == before


def test_it_creates_persons_and_companies_with_the_file_s_slugs(db):
    text = (
        "person,company,role,title,start,end,end_reason,replaces,sources,attested,"
        "person_slug,company_slug,replaces_slug\r\n"
        "Zoë Ångström,Société Générale,director,,2001,,,,,,zoe-a,socgen,\r\n"
        "王小明,Société Générale,director,,2002,,,,,,wang-xiaoming,socgen,\r\n"
    )
    assert import_text(text).ok
    assert Person.objects.get(slug="zoe-a").name == "Zoë Ångström"
    assert Person.objects.get(slug="wang-xiaoming").name == "王小明"
    assert Company.objects.get(slug="socgen").tenures.count() == 2


# -- what spreadsheets write -----------------------------------------------------------------------


def test_it_reads_a_bom_crlf_and_quoted_newlines(db):
    text = tenure_csv('"Doe, Jane",Acme,director,"Director,\r\nof things",1999-01,,,,"a | b"')
    result = import_text("\ufeff" + text)
    assert result.ok, result.errors
    tenure = Tenure.objects.get()
    assert tenure.person.name == "Doe, Jane"
    assert tenure.title == "Director,\r\nof things"
    assert [c.source.title for c in tenure.citations.all()] == ["a", "b"]


def test_it_reads_injection_escapes_and_keeps_a_hand_typed_quote(db):
    text = tenure_csv("'t Hart,'=Evil Corp,director,'@title,,,,,'-note")
    assert import_text(text).ok
    tenure = Tenure.objects.get()
    assert tenure.person.name == "'t Hart"
    assert tenure.company.name == "=Evil Corp"
    assert tenure.title == "@title"
    assert tenure.citations.get().source.title == "-note"
    exported = export_text()
    assert "'t Hart,'=Evil Corp,director,'@title," in exported
    assert ",'-note," in exported


# -- updates --------------------------------------------------------------------------------------


def test_a_changed_end_updates_the_stored_tenure_with_history(demo, editor):
    text = export_text().replace(
        "Marc B. Crossman,Innovo Group Inc.,cfo,Chief Financial Officer,2003-03,,",
        "Marc B. Crossman,Innovo Group Inc.,cfo,Chief Financial Officer,2003-03,2006-12,retired",
    )
    result = import_text(text, filename="cfo-end.csv", user=editor)
    assert result.ok, result.errors
    assert result.count("update") == 1
    cfo = Tenure.objects.get(role__slug="cfo")
    assert cfo.end == PartialDate(2006, 12) and cfo.end_reason == "retired"
    assert Tenure.objects.filter(role__slug="cfo").count() == 1
    latest = cfo.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Imported from cfo-end.csv"


def test_an_added_source_and_attested_day_update_the_tenure(demo):
    lines = export_text().split("\r\n")
    index = next(i for i, line in enumerate(lines) if ",director,Director,1999-01," in line)
    lines[index] = (
        "Marc B. Crossman,Innovo Group Inc.,director,Director,1999-01,,,,"
        f'"{RELEASE_TITLE} | https://example.com/10-K",2003-02-07,marc-b-crossman,innovo-group,'
        ",2004-09-08,,,,"
    )
    result = import_text("\r\n".join(lines))
    assert result.ok, result.errors
    assert result.count("update") == 1
    director = Tenure.objects.get(role__slug="director", person__slug="marc-b-crossman")
    assert [c.source.reference for c in director.citations.all()] == [
        RELEASE_TITLE,
        "https://example.com/10-K",
    ]
    assert list(director.attestations.values_list("day", flat=True)) == [datetime.date(2003, 2, 7)]
    assert director.attestations.get().history.count() == 1


def test_a_person_may_succeed_himself(db):
    text = tenure_csv(
        "Ann Lee,Acme,ceo,Interim CEO,2001-01,2001-06,succeeded,,",
        "Ann Lee,Acme,ceo,,2001-06-15,,,Ann Lee,",
    )
    result = import_text(text)
    assert result.ok, result.errors
    interim, ceo = Tenure.objects.order_by("start")
    assert ceo.predecessor == interim


def test_it_matches_other_names_when_the_row_has_no_slug(demo):
    text = tenure_csv("Jay Furrow,Innovo Group Inc.,director,,2005,,,,")
    assert import_text(text).ok
    assert Tenure.objects.get(role__slug="director", start=PartialDate(2005)).person.slug == (
        "samuel-j-furrow-jr"
    )


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        ("Ann,Acme,director,,2004-13-01,,,,", "start", "2004-13-01", "month 13 is not between"),
        ("Ann,Acme,director,,Sept 2004,,,,", "start", "Sept 2004", "is not a date: use YYYY"),
        ("Ann,Acme,director,,2004-09,2004-08,,,", "end", "2004-08", "is surely before the start"),
        ("Ann,Acme,king,,2004,,,,", "role", "king", "unknown role; the known roles are cao, ceo"),
        ("Ann,Acme,director,,2004,,fired,,", "end_reason", "fired", "unknown end reason"),
        ("Ann,Acme,ceo,,2004,,,Nobody Atall,", "replaces", "Nobody Atall", "names nobody"),
        (",Acme,director,,2004,,,,", "person", "", "a person name is required"),
        # Longer than the database column: stored cut short on SQLite, a 500 on PostgreSQL.
        ("A" * 201 + ",Acme,director,,2004,,,,", "person", "A" * 201, "longer than 200"),
        ("Ann," + "C" * 201 + ",director,,2004,,,,", "company", "C" * 201, "longer than 200"),
        ("Ann,Acme,director," + "T" * 201 + ",2004,,,,", "title", "T" * 201, "longer than 200"),
        # PostgreSQL text cannot hold NUL: a 500 there, wherever the cell is used.
        ("An\x00n,Acme,director,,2004,,,,", "person", "An\x00n", "NUL character"),
        ("Ann,Acme,director,,2004,,,Zed\x00,", "replaces", "Zed\x00", "NUL character"),
        ("Ann,Acme,director,,2004,,,,a\x00b", "sources", "a\x00b", "NUL character"),
    ],
)
def test_each_bad_cell_is_named_with_its_line_column_value_and_reason(
    db, cells, column, value, reason
):
    result = import_text(tenure_csv("Zed,Acme,director,,1990,,,,", cells))
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert (error.line, error.column, error.value) == (3, column, value)
    assert reason in error.reason
    assert reason in str(error) and "line 3" in str(error)
    assert not Tenure.objects.exists() and not Person.objects.exists()


def test_a_name_that_fits_two_persons_is_an_error(db):
    Person.objects.create(name="John Smith", slug="john-smith-1")
    Person.objects.create(name="John Smith", slug="john-smith-2")
    result = import_text(tenure_csv("John Smith,Acme,director,,2004,,,,"))
    assert errors_of(result) == [
        (
            2,
            "person",
            "John Smith",
            "ambiguous person: the name fits 2 records (john-smith-1, john-smith-2); "
            "give person_slug to say which",
        )
    ]


def test_a_duplicate_row_is_an_error_naming_the_first(db):
    result = import_text(
        tenure_csv("Ann Lee,Acme,director,,2004,,,,", "Ann Lee,Acme,director,,2004,,,,")
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "person")]
    assert "duplicate row: line 2" in result.errors[0].reason
    assert not Tenure.objects.exists()


def test_a_single_seat_clash_names_the_earlier_line(db):
    result = import_text(
        tenure_csv("Ann Lee,Acme,ceo,,2001,2005,,,", "Bob Ray,Acme,ceo,,2002-03,2003,,,")
    )
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, "start", "2002-03")]
    assert "single-seat role" in result.errors[0].reason
    assert "line 2 (Ann Lee" in result.errors[0].reason


def test_a_single_seat_clash_names_the_stored_tenure(demo):
    result = import_text(tenure_csv("Bob Ray,Innovo Group Inc.,president,,2000,2001,,,"))
    assert len(result.errors) == 1
    assert "the stored tenure Pat Anderson, President at Innovo Group Inc." in (
        result.errors[0].reason
    )


def test_a_hand_over_day_is_not_a_clash(db):
    result = import_text(
        tenure_csv(
            "Steve Jobs,Apple,ceo,,1997-09-16,2011-08-24,resigned,,",
            "Tim Cook,Apple,ceo,,2011-08-24,,,Steve Jobs,",
        )
    )
    assert result.ok, result.errors


def test_a_missing_column_is_named(db):
    result = import_text("person,company,role,title,start,end,sources\r\nAnn,Acme,ceo,,,,\r\n")
    assert [(e.line, e.column) for e in result.errors] == [(1, "end_reason"), (1, "replaces")]
    assert "missing column 'end_reason'" in result.errors[0].reason


def test_every_error_is_reported_not_just_the_first(db):
    result = import_text(
        tenure_csv(
            "Ann,Acme,king,,Sept 2004,,,,",
            "Bob,Acme,director,,2004,,,,",
            "Cy,Acme,director,,2004,2003,,,",
        )
    )
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "role"),
        (2, "start"),
        (4, "end"),
    ]
    assert not Person.objects.exists()


def test_one_bad_row_among_a_thousand_writes_nothing_and_names_the_row(db):
    rows = [f"Person {n},Company {n % 7},director,,{1900 + n % 120},,,," for n in range(1000)]
    rows[736] = "Person 736,Company 1,director,,2004-13-01,,,,"
    before = history_count()
    result = import_text(tenure_csv(*rows))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(738, "start", "2004-13-01")]
    assert result.rows == 1000
    assert not Tenure.objects.exists()
    assert not Person.objects.exists() and not Company.objects.exists()
    assert history_count() == before


# -- dry run and command ----------------------------------------------------------------------


def test_a_dry_run_reports_and_writes_nothing(demo):
    text = export_text().replace(",2003-03,,", ",2003-03,2005,") + (
        "New Person,New Co,director,,2010,,,,,,,,,,,,,\r\n"
    )
    counts = (Tenure.objects.count(), Person.objects.count(), history_count())
    result = import_text(text, dry_run=True)
    assert result.ok, result.errors
    assert (result.count("create"), result.count("update")) == (1, 1)
    assert "Dry run" in result.summary()
    assert (Tenure.objects.count(), Person.objects.count(), history_count()) == counts
    assert Tenure.objects.get(role__slug="cfo").end is None


def test_the_command_exits_non_zero_and_lists_every_error(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(tenure_csv("Ann,Acme,king,,2004,,,,", "Bob,Acme,director,,Sept 2004,,,,"))
    with pytest.raises(CommandError, match="2 errors: nothing was written"):
        call_command("import_tenures", str(path))
    err = capsys.readouterr().err
    assert "line 2, column role" in err and "line 3, column start" in err


def test_the_command_imports_and_dry_runs(db, tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(("\ufeff" + tenure_csv("Ann,Acme,director,,2004,,,,")).encode())
    call_command("import_tenures", str(path), dry_run=True)
    assert not Tenure.objects.exists()
    call_command("import_tenures", str(path))
    assert Tenure.objects.get().person.name == "Ann"
    assert "1 tenure was created" in capsys.readouterr().out


def test_a_slug_longer_than_the_column_is_an_error(db):
    result = import_text(
        "person,company,role,title,start,end,end_reason,replaces,sources,person_slug\r\n"
        f"Ann,Acme,director,,2004,,,,,{'s' * 81}\r\n"
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "person_slug")]
    assert "longer than 80" in result.errors[0].reason
    assert not Person.objects.exists()


def test_a_byte_that_is_not_utf8_is_named_by_its_line_and_column(db):
    from governance.csv.tenure_import import import_tenures

    # Far enough down that the decoder has read past line 2 before the reader gets there.
    rows = [f"P{n},Acme,director,,2004,,,," for n in range(400)]
    data = tenure_csv(*rows, "Zo\xeb,Acme,director,,2004,,,,").encode("latin-1")
    result = import_tenures(io.BytesIO(data), filename="latin1.csv")
    assert [(e.line, e.column) for e in result.errors] == [(402, "person")]
    assert "not UTF-8" in result.errors[0].reason
    assert not Tenure.objects.exists()


def test_it_refuses_a_file_that_is_not_utf8(db):
    from governance.csv.tenure_import import import_tenures

    data = tenure_csv("Zo\xeb,Acme,director,,2004,,,,").encode("latin-1")
    result = import_tenures(io.BytesIO(data), filename="latin1.csv")
    assert not result.ok and "unreadable" in result.errors[0].reason
    assert not Tenure.objects.exists()
