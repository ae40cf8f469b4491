"""Which documents are about a company or a person: every way a document can be."""

import datetime

import pytest

from governance.models import Attestation, Citation, Company, Founder, Role, Source, Tenure
from people.models import Person


def source(title: str) -> Source:
    return Source.objects.create(kind=Source.Kind.OTHER, title=title)


@pytest.fixture
def record(db):
    company = Company.objects.create(name="Acme")
    person = Person.objects.create(name="Ada Byron")
    tenure = Tenure.objects.create(
        person=person, company=company, role=Role.objects.get(slug="director"), start="2001"
    )
    other = Tenure.objects.create(
        person=Person.objects.create(name="Someone Else"),
        company=Company.objects.create(name="Elsewhere"),
        role=Role.objects.get(slug="director"),
        start="2001",
    )
    documents = {name: source(name) for name in ["party", "cited", "attests", "founding", "none"]}
    documents["party"].parties.create(company=company, part="maker")
    documents["party"].parties.create(person=person, part="payee")
    Citation.objects.create(tenure=tenure, source=documents["cited"])
    Citation.objects.create(tenure=other, source=documents["none"])
    Attestation.objects.create(tenure=tenure, day=datetime.date(2002, 1, 1))  # no source
    Attestation.objects.create(
        tenure=tenure, day=datetime.date(2003, 1, 1), source=documents["attests"]
    )
    Attestation.objects.create(
        tenure=tenure, day=datetime.date(2004, 1, 1), source=documents["attests"]
    )
    Founder.objects.create(company=company, person=person, source=documents["founding"])
    return company, person


def test_documents_about_a_company(record):
    company, _ = record
    titles = [s.title for s in Source.objects.about_company(company)]
    assert sorted(titles) == ["attests", "cited", "founding", "party"]


def test_documents_about_a_person(record):
    _, person = record
    titles = [s.title for s in Source.objects.about_person(person)]
    assert sorted(titles) == ["attests", "cited", "founding", "party"]


def test_a_record_without_documents_has_none(record):
    assert list(Source.objects.about_company(Company.objects.create(name="Empty"))) == []
