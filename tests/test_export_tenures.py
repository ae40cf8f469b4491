import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.csv.format import export_filename
from governance.forms import TenureExportForm
from governance.models import Attestation, Company, Role, Tenure
from governance.models.partial_date import PartialDate
from people.models import Person
from tests.csv_helpers import export_text


def rows(text):
    return [line.split(",") for line in text.splitlines()]


def test_it_writes_the_columns_in_the_fixed_order(demo):
    header = export_text().splitlines()[0]
    assert header == (
        "person,company,role,title,start,end,end_reason,replaces,sources,"
        "attested,person_slug,company_slug,replaces_slug,"
        "last_confirmed,inferred,inferred_note,person_cik,company_cik"
    )


def test_it_writes_partial_dates_as_stored(demo):
    text = export_text()
    assert "Pat Anderson,Innovo Group Inc.,president,President,1990-07,2004-09,resigned,," in text
    assert "1999-01," in text
    assert "1999-01-01" not in text


def test_it_writes_replaces_and_attested_days(demo):
    text = export_text()
    assert ",2004-09-08,,,Pat Anderson," in text
    assert ",marc-b-crossman,innovo-group,pat-anderson,2004-09-08," in text
    assert "2003-02-07 | 2004-09-08,samuel-j-furrow-jr" in text


def test_it_leaves_an_unknown_start_empty(demo):
    line = next(line for line in export_text().splitlines() if "innovo-inc" in line)
    assert ",President,,,,," in line


def filters_of(params: dict):
    form = TenureExportForm(params)
    assert form.is_valid(), form.errors
    return form.filters()


def test_it_filters_by_company_person_role_and_day(demo):
    filters = filters_of({"company": "innovo-group", "on": "2004-09-08"})
    text = export_text(filters.apply(Tenure.objects.all()))
    assert len(text.splitlines()) == 5  # header, Furrow CEO, Crossman President, CFO, Director
    assert "Pat Anderson" not in text.split("\r\n", 1)[1].split("Marc B. Crossman")[0]
    filters = filters_of({"person": "pat-anderson", "role": "president"})
    assert len(export_text(filters.apply(Tenure.objects.all())).splitlines()) == 3


def test_it_refuses_bad_filters(demo):
    for bad in ("2004-13-01", "yesterday"):
        form = TenureExportForm({"on": bad})
        assert not form.is_valid() and not form.names_no_record
        assert "not a day" in form.error_message()
    form = TenureExportForm({"company": "nope"})
    assert not form.is_valid() and form.names_no_record
    assert "No company has the slug 'nope'" in form.error_message()


def test_it_names_the_file_by_content_and_time(demo):
    filters = filters_of({"company": "innovo-group"})
    taken = datetime.datetime(2026, 11, 25, 14, 12, tzinfo=datetime.UTC)
    assert export_filename("tenures", filters.describe(), taken) == (
        "tenures-innovo-group-2026-11-25T1412Z.csv"
    )


def test_it_costs_a_fixed_number_of_queries_whatever_the_size(db):
    role = Role.objects.get(slug="director")
    company = Company.objects.create(name="Big Co")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            export_text()
        return len(queries)

    Tenure.objects.create(person=Person.objects.create(name="P 0"), company=company, role=role)
    few = count_queries()
    for n in range(1, 60):
        Tenure.objects.create(
            person=Person.objects.create(name=f"P {n}"), company=company, role=role
        )
    assert count_queries() == few


def test_the_command_writes_the_same_file(demo, tmp_path):
    output = tmp_path / "tenures.csv"
    call_command("export_tenures", output=str(output))
    assert output.read_bytes() == export_text().encode()


def test_the_command_filters_and_refuses_bad_values(demo, tmp_path, capsys):
    output = tmp_path / "t.csv"
    call_command("export_tenures", output=str(output), company="innovo-inc")
    assert len(output.read_text().splitlines()) == 2
    with pytest.raises(CommandError, match="not a day"):
        call_command("export_tenures", on="Sept 2004")
    with pytest.raises(CommandError, match="No role has the slug"):
        call_command("export_tenures", role="king")


# -- last_confirmed, inferred, inferred_note, person_cik, company_cik ------------------------------


def cells_of(text: str, person: str, role: str) -> dict[str, str]:
    """The named row's cells by column, read with the csv module."""
    header, *lines = csv.reader(io.StringIO(text))
    for cells in lines:
        row = dict(zip(header, cells, strict=True))
        if row["person_slug"] == person and row["role"] == role:
            return row
    raise AssertionError(f"no row for {person} as {role}")


def test_it_writes_last_confirmed_inferred_facts_and_ciks(demo):
    Person.objects.filter(slug="marc-b-crossman").update(cik="0001234567")
    Company.objects.filter(slug="innovo-group").update(cik="0000844143")
    text = export_text()
    anderson = cells_of(text, "pat-anderson", "president")
    assert anderson["last_confirmed"] == "2004-09-08"
    assert anderson["inferred"] == "end"
    assert anderson["inferred_note"].startswith("read from the announcement of 8 Sep 2004")
    crossman = cells_of(text, "marc-b-crossman", "director")
    assert (crossman["inferred"], crossman["inferred_note"]) == ("", "")
    assert (crossman["person_cik"], crossman["company_cik"]) == ("0001234567", "0000844143")
    assert cells_of(text, "pat-anderson", "director")["person_cik"] == ""


def test_last_confirmed_is_written_at_its_precision_or_empty(demo):
    tenure = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="director")
    Tenure.objects.filter(pk=tenure.pk).update(last_confirmed=PartialDate(2004, 9))
    assert cells_of(export_text(), "marc-b-crossman", "director")["last_confirmed"] == "2004-09"
    Tenure.objects.filter(pk=tenure.pk).update(last_confirmed=None)
    assert cells_of(export_text(), "marc-b-crossman", "director")["last_confirmed"] == ""


def test_a_formula_in_an_inferred_note_is_neutralised(demo):
    Tenure.objects.filter(person__slug="marc-b-crossman", role__slug="director").update(
        inferred="start", inferred_note='=HYPERLINK("http://x")'
    )
    text = export_text()
    assert ',start,"\'=HYPERLINK(""http://x"")",' in text
    assert cells_of(text, "marc-b-crossman", "director")["inferred_note"] == (
        '\'=HYPERLINK("http://x")'
    )


def test_a_recorded_export_writes_the_columns_as_they_stood(demo, client):
    moment = datetime.datetime.now(datetime.UTC)
    tenure = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="director")
    Attestation.objects.create(tenure=tenure, day=datetime.date(2010, 5, 1))
    tenure.refresh_from_db()
    tenure.inferred, tenure.inferred_note = "start", "from the 10-K's list of directors"
    tenure.save()
    person = tenure.person
    person.cik = "1234567"
    person.save()
    now = cells_of(export_text(), "marc-b-crossman", "director")
    assert (now["last_confirmed"], now["inferred"], now["person_cik"]) == (
        "2010-05-01",
        "start",
        "0001234567",
    )
    response = client.get("/export/tenures.csv", {"recorded": moment.isoformat()})
    assert response.status_code == 200
    then = cells_of(b"".join(response.streaming_content).decode(), "marc-b-crossman", "director")
    assert (then["last_confirmed"], then["inferred"], then["inferred_note"]) == (
        "2004-09-08",
        "",
        "",
    )
    assert then["person_cik"] == ""
