"""What the pages and the CSV export show of a record imported from SEC filings."""

import csv
import io

import pytest
from django.core.management import call_command

from governance.models import Company, Tenure
from governance.sec.importer import import_filings
from people.models import Person
from tests.sec_helpers import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    import_filings([str(FIXTURES)])


def test_a_person_page_shows_the_cik_the_inferred_name_and_the_name_as_filed(imported, client):
    person = Person.objects.get(cik="0000990201")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "SEC CIK" in page and "0000990201" in page
    assert "Name inferred, not stated by a source" in page
    assert "McMahon John Dennis" in page
    assert "(as written in a filing)" in page


def test_a_company_page_shows_each_attested_tenure_citing_its_filing(imported, client):
    company = Company.objects.get(cik="0000990001")
    page = client.get(company.get_absolute_url()).content.decode()
    tenures = Tenure.objects.filter(company=company).prefetch_related("citations__source")
    assert tenures.count() == 8
    for tenure in tenures:
        assert f'id="tenure-{tenure.pk}"' in page
        for citation in tenure.citations.all():
            assert citation.source.get_absolute_url() in page
    assert "attested 1 Mar 2024" in page
    assert "unsourced" not in page


def test_the_source_page_shows_the_filing_its_parties_and_the_quoted_passage(imported, client):
    tenure = Tenure.objects.get(person__cik="0000990101", role__slug="ceo")
    source = tenure.citations.get().source
    page = client.get(source.get_absolute_url()).content.decode()
    assert "0000990001-24-000101" in page
    assert "VOSS MARGARET A" in page
    assert "&lt;officerTitle&gt;President and CEO&lt;/officerTitle&gt;" in page


def test_the_export_shows_each_imported_tenure_with_its_attested_days(imported):
    out = io.StringIO()
    call_command("export_tenures", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == Tenure.objects.count()
    assert all(row["attested"] and row["sources"] for row in rows)
    [cfo] = [r for r in rows if r["person"] == "Daniel Okafor" and r["role"] == "cfo"]
    assert cfo["attested"] == "2024-03-04"
    assert cfo["start"] == cfo["end"] == ""
    assert cfo["sources"].count("https://www.sec.gov/Archives/edgar/data/990001/") == 2
