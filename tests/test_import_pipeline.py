"""The tenure import as a batched pipeline: queries per batch, history, clashes and successions
within a file and across batches, derived intervals, and the rows it reports."""

import dataclasses
import datetime
import re
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.csv import import_result, tenure_import
from governance.models import Attestation, Citation, Company, FormerName, Source, Tenure
from governance.models.partial_date import PartialDate
from governance.models.tenures import INTERVAL_FIELDS
from people.models import Person
from tests.csv_helpers import export_text, history_count, import_text, tenure_csv


@pytest.fixture
def batches_of(monkeypatch):
    """Import in batches of n rows, so that a few rows span several batches."""

    def set_size(n: int) -> None:
        monkeypatch.setattr(tenure_import, "BATCH_SIZE", n)

    return set_size


def assert_intervals_are_derived():
    """Every tenure's stored intervals are what a save would derive from its facts now."""
    for tenure in Tenure.objects.with_facts():
        stored = tuple(getattr(tenure, name) for name in INTERVAL_FIELDS)
        assert stored == dataclasses.astuple(tenure.derive_intervals()), tenure


def rows(n: int, prefix: str = "") -> str:
    """n rows with every feature the import looks up: CEOs succeeding each other, directors
    with sources and attested days, at one new company per five rows (names after prefix)."""
    lines = []
    for k in range(n):
        company, seat = divmod(k, 5)
        company = f"{prefix}{company}"
        if seat == 0:
            lines.append(f"CEO A{company},Co {company},ceo,,2000,2004-06,succeeded,,,,")
        elif seat == 1:
            lines.append(f"CEO B{company},Co {company},ceo,,2004-06,,,CEO A{company},,,")
        else:
            lines.append(
                f"Director {prefix}{k},Co {company},director,,199{seat},,,,"
                f'"Filing {company} | https://example.com/{company}",1999-0{seat}-01,'
            )
    header = "person,company,role,title,start,end,end_reason,replaces,sources,attested,person_slug"
    return "\r\n".join([header, *lines]) + "\r\n"


def query_shapes(queries) -> list[str]:
    """The statements run, a bulk insert or update counted once however many statements the
    backend's limit on parameters splits it into (SQLite: 999 a statement)."""
    shapes = []
    for query in queries:
        sql = query["sql"]
        shape = re.match(r"\s*(INSERT INTO \S+|UPDATE \S+|\S+)", sql).group(1)
        if shape.startswith(("INSERT", "UPDATE")) and shapes and shapes[-1] == shape:
            continue
        shapes.append(shape)
    return shapes


# -- queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["create", "update"])
def test_the_number_of_queries_does_not_grow_with_the_rows(db, path):
    counts = {}
    for n in (10, 200):
        text = rows(n, prefix=f"{n}-")
        if path == "update":
            assert import_text(text).ok
            # Every director gets an end, a title and another source: each row is an update.
            text = re.sub(
                r",director,,(\d{4}),,,,\"(.*?)\",",
                rf',director,Board member,\1,2010,retired,,"\2 | Annual report {n}",',
                text,
            )
        with CaptureQueriesContext(connection) as context:
            result = import_text(text)
        assert result.ok, result.errors
        expected = n if path == "create" else n * 3 // 5
        assert result.count(path) == expected
        counts[n] = query_shapes(context.captured_queries)
    assert counts[10] == counts[200]
    assert len(counts[200]) < 40


def test_each_batch_costs_the_same_fixed_number_of_queries(db, batches_of):
    batches_of(50)
    counts = []
    for n in (50, 100, 200):
        with CaptureQueriesContext(connection) as context:
            assert import_text(rows(n, prefix=f"{n}-")).ok
        counts.append(len(query_shapes(context.captured_queries)))
    one_batch = counts[1] - counts[0]
    assert counts[2] - counts[1] == 2 * one_batch
    assert one_batch <= 30


# -- history --------------------------------------------------------------------------------------


def test_created_records_get_one_history_row_with_the_user_and_reason(db, editor):
    result = import_text(rows(10), filename="board.csv", user=editor)
    assert result.ok, result.errors
    for model in (Tenure, Person, Company, Source, Citation, Attestation):
        assert model.objects.exists()
        for record in model.objects.all():
            (entry,) = record.history.all()
            assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
                "+",
                editor,
                "Imported from board.csv",
            ), record
    successor = Tenure.objects.get(person__name="CEO B0")
    assert successor.history.get().predecessor == Tenure.objects.get(person__name="CEO A0")


def test_changed_tenures_get_a_history_row_and_unchanged_ones_none(db, editor):
    assert import_text(rows(10), filename="first.csv").ok
    before = history_count()
    text = rows(10).replace(
        "Director 2,Co 0,director,,1992,,", "Director 2,Co 0,director,,1992,2001,"
    )
    text = text.replace(
        '"Filing 0 | https://example.com/0",1999-03-01', '"Filing 0",1999-03-01 | 2000-01-01'
    )
    result = import_text(text, filename="second.csv", user=editor)
    assert result.ok, result.errors
    assert (result.count("update"), result.count("unchanged")) == (2, 8)
    assert history_count() == before + 2
    changed = Tenure.objects.get(person__name="Director 2")
    latest = changed.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        "Imported from second.csv",
    )
    assert latest.end == PartialDate(2001)
    added = Attestation.objects.get(day=datetime.date(2000, 1, 1))
    assert added.history.get().history_change_reason == "Imported from second.csv"
    assert Tenure.objects.get(person__name="Director 3").history.count() == 1


def test_reimporting_a_big_export_writes_nothing(db, batches_of):
    batches_of(7)
    assert import_text(rows(60)).ok
    text = export_text()
    before = history_count()
    result = import_text(text)
    assert result.ok and result.count("unchanged") == 60
    assert history_count() == before
    assert export_text() == text


# -- across batches -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 5000])
def test_the_demo_round_trips_whatever_the_batch_size(demo, batches_of, size):
    from tests.csv_helpers import empty_record

    batches_of(size)
    first = export_text()
    empty_record()
    result = import_text(first)
    assert result.ok, result.errors
    assert export_text() == first
    assert_intervals_are_derived()


def test_a_duplicate_in_a_later_batch_names_the_first_line(db, batches_of):
    batches_of(2)
    result = import_text(
        tenure_csv(
            "Ann Lee,Acme,director,,2004,,,,",
            "Bob Ray,Acme,director,,2004,,,,",
            "Cy Fox,Acme,director,,2004,,,,",
            "Ann Lee,Acme,director,,2004,,,,",
        )
    )
    assert [(e.line, e.column) for e in result.errors] == [(5, "person")]
    assert "duplicate row: line 2" in result.errors[0].reason


def test_replaces_names_an_earlier_line_of_the_same_file(db, batches_of):
    batches_of(2)
    result = import_text(
        tenure_csv(
            "Ann Lee,Acme,ceo,,2001,2005,succeeded,,",
            "Cy Fox,Acme,director,,2001,,,,",
            "Bob Ray,Acme,ceo,,2005-06,2009-02-01,succeeded,Ann Lee,",
            "Dee Lin,Acme,ceo,,2009-02-01,,,Bob Ray,",
        )
    )
    assert result.ok, result.errors
    ann, bob, dee = Tenure.objects.filter(role__slug="ceo").order_by("start")
    assert (bob.predecessor, dee.predecessor) == (ann, bob)
    # A predecessor is possible up to its successor's first certain day, in another batch too.
    assert ann.possible_end == datetime.date(2005, 6, 30)
    assert bob.possible_end == datetime.date(2009, 2, 1)
    assert_intervals_are_derived()


def test_replaces_names_a_line_in_the_same_batch(db):
    result = import_text(
        tenure_csv(
            "Ann Lee,Acme,ceo,,2001,2005,succeeded,,",
            "Bob Ray,Acme,ceo,,2005-06,,,Ann Lee,",
        )
    )
    assert result.ok, result.errors
    bob = Tenure.objects.get(person__name="Bob Ray")
    assert bob.predecessor.person.name == "Ann Lee"
    assert bob.predecessor.possible_end == datetime.date(2005, 6, 30)
    assert_intervals_are_derived()


def test_replaces_cannot_name_a_rejected_line(db):
    result = import_text(
        tenure_csv(
            "Ann Lee,Acme,ceo,,2001,2005,fired,,",
            "Bob Ray,Acme,ceo,,2005-06,,,Ann Lee,",
        )
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "end_reason"), (3, "replaces")]
    assert result.errors[1].reason == "names nobody: no person has this name"


@pytest.mark.parametrize("size", [1, 5000])
def test_a_single_seat_clash_with_an_earlier_line_in_another_batch(db, batches_of, size):
    batches_of(size)
    result = import_text(
        tenure_csv("Ann Lee,Acme,ceo,,2001,2005,,,", "Bob Ray,Acme,ceo,,2002-03,2003,,,")
    )
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, "start", "2002-03")]
    assert result.errors[0].reason == (
        "Chief Executive Officer is a single-seat role and this tenure would overlap line 2 "
        "(Ann Lee, Chief Executive Officer at Acme (2001 – 2005)) by two or more certain days"
    )
    assert not Tenure.objects.exists()


def test_a_single_seat_clash_with_a_stored_tenure(db):
    assert import_text(tenure_csv("Ann Lee,Acme,ceo,,2001,2005,,,")).ok
    result = import_text(tenure_csv("Bob Ray,Acme,ceo,,2004,2006,,,"))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "start", "2004")]
    assert "overlap the stored tenure Ann Lee, Chief Executive Officer at Acme (2001 – 2005)" in (
        result.errors[0].reason
    )


def test_an_attested_day_can_make_a_clash(db):
    assert import_text(tenure_csv("Ann Lee,Acme,ceo,,2001,2005,,,")).ok
    text = (
        "person,company,role,title,start,end,end_reason,replaces,sources,attested\r\n"
        "Bob Ray,Acme,ceo,,,,,,,2003-01-01 | 2003-06-01\r\n"
    )
    result = import_text(text)
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "start", "(unknown)")]


def test_a_seat_freed_by_an_earlier_line_can_be_taken(db):
    """Rows are checked in file order against the rows before them, and written in bulk in
    whatever order the database takes them: a tenure that shrinks and one that grows into the
    days it left must not meet half-way (PostgreSQL's exclusion constraint)."""
    header = "person,company,role,title,start,end,end_reason,replaces,sources,attested\r\n"
    # Stored so that the one that grows comes first in the table.
    assert import_text(header + "Bob Ray,Acme,ceo,,,,,,,2012-06-01\r\n").ok
    assert import_text(header + "Ann Lee,Acme,ceo,,2000,2010,,,,\r\n").ok
    shrink = "Ann Lee,Acme,ceo,,2000,2005,,,,\r\n"
    grow = "Bob Ray,Acme,ceo,Acting CEO,,,,,,2006-01-01 | 2012-06-01\r\n"
    refused = import_text(header + grow + shrink)
    assert [(e.line, e.column) for e in refused.errors] == [(2, "start")]
    assert "the stored tenure Ann Lee" in refused.errors[0].reason
    result = import_text(header + shrink + grow)
    assert result.ok, result.errors
    assert result.count("update") == 2
    bob = Tenure.objects.get(person__name="Bob Ray")
    assert (bob.certain_start, bob.certain_end) == (
        datetime.date(2006, 1, 1),
        datetime.date(2012, 6, 1),
    )
    assert_intervals_are_derived()


# -- successions and intervals with stored tenures ------------------------------------------------


def test_a_new_successor_moves_a_stored_predecessor_s_possible_end(db):
    assert import_text(tenure_csv("Ann Lee,Acme,ceo,,2001,2005,succeeded,,")).ok
    assert Tenure.objects.get().possible_end == datetime.date(2005, 12, 31)
    result = import_text(tenure_csv("Bob Ray,Acme,ceo,,2005-06-15,,,Ann Lee,"))
    assert result.ok, result.errors
    ann = Tenure.objects.get(person__name="Ann Lee")
    assert ann.possible_end == datetime.date(2005, 6, 15)
    assert ann.history.count() == 1
    assert_intervals_are_derived()


def test_moving_a_predecessor_names_both_and_refreshes_both(db):
    assert import_text(
        tenure_csv(
            "Ann Lee,Acme,ceo,,2000,2003,,,",
            "Bob Ray,Acme,ceo,,2004,2005-06,,Ann Lee,",
            "Dee Lin,Acme,ceo,,2005-06-10,,,Bob Ray,",
        )
    ).ok
    assert Tenure.objects.get(person__name="Bob Ray").possible_end == datetime.date(2005, 6, 10)
    result = import_text(tenure_csv("Dee Lin,Acme,ceo,,2005-06-10,,,Ann Lee,"))
    assert result.ok, result.errors
    (action,) = result.actions
    assert action.changes == [
        "predecessor: Bob Ray, Chief Executive Officer at Acme (2004 – Jun 2005) → "
        "Ann Lee, Chief Executive Officer at Acme (2000 – 2003)"
    ]
    bob = Tenure.objects.get(person__name="Bob Ray")
    assert bob.possible_end == datetime.date(2005, 6, 30)
    assert_intervals_are_derived()


def test_a_dated_stored_source_bounds_an_end_of_unknown_date(db):
    Source.objects.create(kind=Source.Kind.SEC_FILING, title="10-K 2006", date=PartialDate(2006, 3))
    result = import_text(tenure_csv("Ann Lee,Acme,director,,2001,,resigned,,10-K 2006"))
    assert result.ok, result.errors
    assert Tenure.objects.get().possible_end == datetime.date(2006, 3, 31)
    assert_intervals_are_derived()


def test_a_company_s_founding_bounds_the_possible_start(db):
    Company.objects.create(name="Acme", slug="acme", founded=PartialDate(1995, 4))
    assert import_text(tenure_csv("Ann Lee,Acme,director,,,2001,,,")).ok
    assert Tenure.objects.get().possible_start == datetime.date(1995, 4, 1)
    assert_intervals_are_derived()


# -- matching -------------------------------------------------------------------------------------


def test_companies_match_by_name_or_former_name_in_any_case(db):
    acme = Company.objects.create(name="Acme Inc.", slug="acme")
    FormerName.objects.create(company=acme, name="Old Acme")
    result = import_text(
        tenure_csv("Ann Lee,ACME INC.,director,,2001,,,,", "Bob Ray,old acme,director,,2002,,,,")
    )
    assert result.ok, result.errors
    assert Company.objects.count() == 1 and acme.tenures.count() == 2


def test_a_company_name_that_fits_two_companies_is_an_error(db):
    Company.objects.create(name="Acme", slug="acme-1")
    holdings = Company.objects.create(name="Acme Holdings", slug="acme-2")
    FormerName.objects.create(company=holdings, name="ACME")
    result = import_text(tenure_csv("Ann Lee,Acme,director,,2001,,,,"))
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (
            2,
            "company",
            "Acme",
            "ambiguous company: the name fits 2 records (acme-1, acme-2); "
            "give company_slug to say which",
        )
    ]


def test_a_later_row_finds_a_person_an_earlier_row_created(db, batches_of):
    batches_of(1)
    result = import_text(
        tenure_csv("Ann  Lée,Acme,director,,2001,,,,", "ann lee,Acme,ceo,,2001,,,,")
    )
    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.name, person.slug, person.sort_name, person.search_key) == (
        "Ann  Lée",
        "ann-lee",
        "Lée, Ann ",
        "ann lee",
    )
    saved = Person(name="Ann  Lée", slug="other")
    saved.save()
    assert (saved.sort_name, saved.search_key) == (person.sort_name, person.search_key)


@pytest.mark.parametrize("size", [1, 5000])
def test_new_slugs_are_the_first_free_ones(db, batches_of, size):
    batches_of(size)
    Person.objects.create(name="Someone", slug="person")
    Person.objects.create(name="Someone Else", slug="person-3")
    Company.objects.create(name="Acme Corp", slug="acme")
    result = import_text(
        tenure_csv(
            "王小明,Acme,director,,2001,,,,",
            "李四,Acme,director,,2001,,,,",
            "张三,Acme,director,,2001,,,,",
        )
    )
    assert result.ok, result.errors
    assert [tenure.person.slug for tenure in Tenure.objects.order_by("pk")] == [
        "person-2",
        "person-4",
        "person-5",
    ]
    assert Company.objects.get(name="Acme").slug == "acme-2"


def test_a_source_is_matched_by_url_then_title_and_created_once(db):
    Source.objects.create(kind=Source.Kind.SEC_FILING, title="Form 8-K", url="https://sec.gov/8k")
    result = import_text(
        tenure_csv(
            'Ann Lee,Acme,director,,2001,,,,"https://sec.gov/8k | Form 8-K"',
            'Bob Ray,Acme,director,,2001,,,,"Press release | https://x.com/a"',
            'Cy Fox,Acme,director,,2001,,,,"Press release | https://x.com/a"',
        )
    )
    assert result.ok, result.errors
    assert Source.objects.count() == 3
    ann = Tenure.objects.get(person__name="Ann Lee")
    assert [c.source.title for c in ann.citations.all()] == ["Form 8-K"]
    assert result.actions[1].changes == [
        "new person Bob Ray (bob-ray)",
        "new source Press release",
        "new source https://x.com/a",
    ]
    assert result.actions[2].changes == ["new person Cy Fox (cy-fox)"]


# -- what it reports ------------------------------------------------------------------------------


def test_only_the_first_changed_rows_are_described(db, monkeypatch):
    monkeypatch.setattr(import_result, "ACTIONS_KEPT", 3)
    result = import_text(rows(10))
    assert result.ok
    assert [action.line for action in result.actions] == [2, 3, 4]
    assert result.actions[1].tenure == "CEO B0, Chief Executive Officer at Co 0 (Jun 2004 –)"
    assert (result.count("create"), result.actions_left_out) == (10, 7)
    assert "10 tenures were created" in result.summary()


def test_a_dry_run_of_many_batches_writes_nothing(db, batches_of):
    batches_of(3)
    before = history_count()
    result = import_text(rows(20), dry_run=True)
    assert result.ok and result.count("create") == 20
    assert not Tenure.objects.exists() and not Person.objects.exists()
    assert history_count() == before


def test_an_error_in_a_late_batch_writes_nothing_from_earlier_ones(db, batches_of):
    batches_of(3)
    text = rows(20).replace("Director 17,Co 3,director,,1992", "Director 17,Co 3,king,,1992")
    result = import_text(text)
    assert [(e.line, e.column) for e in result.errors] == [(19, "role")]
    assert not Tenure.objects.exists() and not Person.objects.exists()


def test_the_admin_preview_says_how_many_rows_it_does_not_list(editor_client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    monkeypatch.setattr(import_result, "ACTIONS_KEPT", 1)
    text = tenure_csv(*(f"Person {n},Acme,director,,2001,,,," for n in range(3)))
    # The preview runs as a background job (immediately, in tests); its page shows the result.
    response = editor_client.post(
        reverse("admin:governance_tenure_import"),
        {"file": SimpleUploadedFile("board.csv", text.encode())},
        follow=True,
    )
    page = response.content.decode()
    assert "3 tenures would be created" in page
    assert "Person 0, Director at Acme" in page and "Person 2, Director" not in page
    assert "… and 2 more rows that create or change a tenure." in page


def test_imported_tenures_know_their_latest_evidence(db):
    header = "person,company,role,title,start,end,end_reason,replaces,sources,attested"
    text = f"{header}\r\nAnn Example,Acme,director,,2001,,,,,2010-05-01 | 2012-03-04\r\n"
    result = import_text(text)
    assert not result.errors
    tenure = Tenure.objects.get()
    assert str(tenure.last_confirmed) == "4 Mar 2012"
    before = Tenure.objects.values_list("last_confirmed", flat=True).get()
    tenure.refresh_intervals()
    assert Tenure.objects.values_list("last_confirmed", flat=True).get() == before


def test_a_created_tenure_is_confirmed_by_its_sources_dates_too(db):
    Source.objects.create(title="Annual report 2014", date=PartialDate(2014, 6))
    header = "person,company,role,title,start,end,end_reason,replaces,sources,attested"
    text = f"{header}\r\nAnn Example,Acme,director,,2001,,,,Annual report 2014,2010-05-01\r\n"
    assert not import_text(text).errors
    tenure = Tenure.objects.get()
    assert str(tenure.last_confirmed) == "Jun 2014"
    assert tenure.last_confirmed == Tenure.objects.with_facts().get().derive_last_confirmed()


def test_an_updated_tenure_keeps_evidence_the_file_does_not_hold(db):
    header = "person,company,role,title,start,end,end_reason,replaces,sources,attested"
    assert not import_text(f"{header}\r\nAnn Example,Acme,director,,2001,,,,,\r\n").errors
    tenure = Tenure.objects.get()
    # An attested day entered in the admin, with a source dated later than any day in the file.
    report = Source.objects.create(title="Proxy statement", date=PartialDate(2016, 4, 2))
    Attestation.objects.create(tenure=tenure, day=datetime.date(2015, 1, 1), source=report)
    text = f"{header}\r\nAnn Example,Acme,director,,2001,,,,,2011-03-04\r\n"
    assert not import_text(text).errors
    assert str(Tenure.objects.get().last_confirmed) == "2 Apr 2016"


def test_a_caller_that_stops_reading_early_is_not_kept_waiting():
    # The write step refused a batch (the import stops) while the parse thread, every batch
    # parsed, was handing over the end of the file to a full queue.
    batches = tenure_import._read_ahead(iter([["first"], ["second"], ["third"]]))
    assert next(batches) == ["first"]
    time.sleep(0.5)  # the thread parses the rest and fills the queue
    closer = threading.Thread(target=batches.close)
    closer.start()
    closer.join(timeout=10)
    assert not closer.is_alive()


def test_an_error_while_parsing_is_raised_to_the_caller():
    def failing():
        yield ["first"]
        raise ValueError("a parser's bug")

    batches = tenure_import._read_ahead(failing())
    assert next(batches) == ["first"]
    with pytest.raises(ValueError, match="a parser's bug"):
        next(batches)
