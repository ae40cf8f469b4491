"""The tenure import's person_cik and company_cik columns: kept on a round trip, matched before
names, refused where they would contradict the record."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Company, Tenure
from people.models import Person
from tests.csv_helpers import export_text, history_count, import_text
from tests.test_import_pipeline import query_shapes

HEADER = "person,company,role,title,start,end,end_reason,replaces,sources,person_cik,company_cik"
SLUGGED = (
    "person,company,role,title,start,end,end_reason,replaces,sources,person_slug,company_slug,"
    "person_cik,company_cik"
)


def csv_with(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def errors_of(result):
    return [(error.line, error.column, error.value, error.reason) for error in result.errors]


def test_new_persons_and_companies_get_the_file_s_ciks_normalised(db):
    result = import_text(csv_with("Ann Lee,Acme,director,,2001,,,,,1234567,0000320193"))
    assert result.ok, result.errors
    assert Person.objects.get().cik == "0001234567"
    assert Company.objects.get().cik == "0000320193"


def test_a_person_whose_cik_matches_is_that_person_whatever_the_name(db):
    ann = Person.objects.create(name="Ann Lee", cik="0001234567")
    Person.objects.create(name="Ann B. Lee")
    acme = Company.objects.create(name="Acme", cik="0000000042")
    result = import_text(csv_with("Ann B. Lee,ACME Holdings,director,,2001,,,,,1234567,42"))
    assert result.ok, result.errors
    tenure = Tenure.objects.get()
    assert (tenure.person, tenure.company) == (ann, acme)
    assert Company.objects.count() == 1


def test_a_cik_settles_a_name_two_persons_bear(db):
    Person.objects.create(name="John Smith")
    second = Person.objects.create(name="John Smith", cik="0000000007")
    assert import_text(csv_with("John Smith,Acme,director,,2001,,,,,7,")).ok
    assert Tenure.objects.get().person == second


def test_a_matched_record_without_a_cik_takes_the_file_s_with_one_history_row(db, editor):
    ann = Person.objects.create(name="Ann Lee")
    acme = Company.objects.create(name="Acme")
    person_history, company_history = ann.history.count(), acme.history.count()
    result = import_text(
        csv_with(
            "Ann Lee,Acme,director,,2001,,,,,1234567,42", "Ann Lee,Acme,ceo,,2001,,,,,1234567,"
        ),
        filename="ciks.csv",
        user=editor,
    )
    assert result.ok, result.errors
    ann.refresh_from_db()
    acme.refresh_from_db()
    assert (ann.cik, acme.cik) == ("0001234567", "0000000042")
    assert ann.history.count() == person_history + 1
    assert acme.history.count() == company_history + 1
    latest = ann.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        "Imported from ciks.csv",
    )
    assert latest.name == "Ann Lee"
    first = result.actions[0]
    assert "person Ann Lee: CIK set to 0001234567" in first.changes
    assert "company Acme: CIK set to 0000000042" in first.changes


def test_an_empty_cik_keeps_the_stored_one(db):
    Person.objects.create(name="Ann Lee", cik="0001234567")
    assert import_text(csv_with("Ann Lee,Acme,director,,2001,,,,,,")).ok
    assert Person.objects.get().cik == "0001234567"


def test_a_malformed_cik_is_a_row_error_and_nothing_is_written(db):
    result = import_text(
        csv_with(
            "Ann Lee,Acme,director,,2001,,,,,12345678901,", "Bob Ray,Acme,director,,2001,,,,,,x1"
        )
    )
    assert [(line, column, value) for line, column, value, _ in errors_of(result)] == [
        (2, "person_cik", "12345678901"),
        (3, "company_cik", "x1"),
    ]
    assert errors_of(result)[0][3] == "'12345678901' is not a CIK: one to 10 digits."
    assert not Person.objects.exists() and not Company.objects.exists()


def test_a_cik_another_person_holds_is_an_error_naming_both(db):
    Person.objects.create(name="Ann Lee", slug="ann-lee", cik="0001234567")
    Person.objects.create(name="Bob Ray", slug="bob-ray")
    result = import_text(
        csv_with("Bob Ray,Acme,director,,2001,,,,,bob-ray,acme,1234567,", header=SLUGGED)
    )
    assert errors_of(result) == [
        (
            2,
            "person_cik",
            "0001234567",
            "person_cik 0001234567 belongs to Ann Lee (ann-lee), not to the person of "
            "person_slug bob-ray",
        )
    ]
    assert not Tenure.objects.exists()


def test_a_cik_unlike_the_stored_one_is_an_error_naming_both(db):
    Company.objects.create(name="Acme", slug="acme", cik="0000000042")
    result = import_text(csv_with("Ann Lee,Acme,director,,2001,,,,,,43"))
    assert errors_of(result) == [
        (
            2,
            "company_cik",
            "0000000043",
            "company_cik 0000000043 is not the CIK of Acme (acme), which is 0000000042",
        )
    ]
    assert Company.objects.get().cik == "0000000042"
    assert not Person.objects.exists()


def test_two_rows_giving_one_person_two_ciks_are_refused(db):
    result = import_text(
        csv_with("Ann Lee,Acme,director,,2001,,,,,1,", "Ann Lee,Acme,ceo,,2001,,,,,2,")
    )
    assert [(line, column) for line, column, *_ in errors_of(result)] == [(3, "person_cik")]
    assert not Person.objects.exists()


def test_a_rejected_row_gives_no_cik(db):
    Person.objects.create(name="Ann Lee")
    result = import_text(
        csv_with("Ann Lee,Acme,king,,2001,,,,,1234567,", "Bob Ray,Acme,director,,2001,,,,,1234567,")
    )
    # Line 2 fails (unknown role) before its CIK is given, so line 3 may take it: the error
    # is line 2's alone, and nothing is written.
    assert [(line, column) for line, column, *_ in errors_of(result)] == [(2, "role")]
    assert Person.objects.get().cik == ""


def test_the_demo_round_trips_with_ciks_and_reimports_unchanged(demo):
    Person.objects.filter(slug="marc-b-crossman").update(cik="0001234567")
    Company.objects.filter(slug="innovo-group").update(cik="0000844143")
    text = export_text()
    before = history_count()
    result = import_text(text)
    assert result.ok and result.count("unchanged") == 7
    assert history_count() == before


def test_cik_matching_costs_no_query_per_row(db):
    def rows(n: int) -> str:
        # Half the persons and companies stored with their CIKs under other names.
        for k in range(0, n, 2):
            Person.objects.create(name=f"Stored {n}-{k}", cik=str(n * 1000 + k))
        Company.objects.create(name=f"Stored Co {n}", cik=str(n * 1000))
        return csv_with(
            *(
                f"Person {n}-{k},Co {n}-{k % 3},director,,2001,,,,,{n * 1000 + k},"
                f"{n * 1000 + k % 3}"
                for k in range(n)
            )
        )

    counts = {}
    for n in (10, 200):
        text = rows(n)
        with CaptureQueriesContext(connection) as context:
            result = import_text(text)
        assert result.ok, result.errors
        assert Tenure.objects.filter(person__name__startswith=f"Stored {n}-").count() == n // 2
        counts[n] = query_shapes(context.captured_queries)
    assert counts[10] == counts[200]
