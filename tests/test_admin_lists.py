"""The admin at scale: lists, filters and change pages in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.admin.registrations import TENURES_SHOWN
from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from people.models import Person
from tests.pages import crowd_company
from tests.test_admin import admin_url


def queries(client, url: str, params=None) -> int:
    client.get(url, params or {})  # content types and other caches, filled once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


LISTS = [
    (Tenure, {}),
    (Tenure, {"status": "current"}),
    (Tenure, {"status": "other"}),
    (Tenure, {"sourced": "no"}),
    (Tenure, {"company": "innovo"}),
    (Tenure, {"role__id__exact": "1"}),
    (Person, {}),
    (Person, {"q": "0"}),
    (Company, {}),
    (Source, {}),
    (Citation, {}),
]


@pytest.mark.parametrize(
    "model, params", LISTS, ids=lambda value: getattr(value, "__name__", None) or str(value)
)
def test_lists_run_a_fixed_number_of_queries(demo, editor_client, model, params):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 3)
    few = queries(editor_client, admin_url(model, "changelist"), params)
    crowd_company(company, 30, prefix="Other")
    assert queries(editor_client, admin_url(model, "changelist"), params) == few


def test_a_filter_matching_few_reads_them_once(demo, editor_client):
    # The list is read to count it: no COUNT and no second read of the same rows.
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.get(admin_url(Tenure, "changelist"), {"status": "other"})
    assert response.context["cl"].result_count == 2
    tenure_reads = [q["sql"] for q in captured if 'FROM "governance_tenure"' in q["sql"]]
    assert len(tenure_reads) == 1


def test_tenures_filter_by_company_name_or_ticker(demo, editor_client):
    for text, companies in [
        ("innovo", {"Innovo Group Inc.", "Innovo, Inc."}),
        ("group", {"Innovo Group Inc."}),
        ("inno", {"Innovo Group Inc.", "Innovo, Inc."}),
    ]:
        response = editor_client.get(admin_url(Tenure, "changelist"), {"company": text})
        listed = {tenure.company.name for tenure in response.context["cl"].result_list}
        assert listed == companies, text


def test_the_company_filter_lists_no_company(demo, editor_client):
    page = editor_client.get(admin_url(Tenure, "changelist"), {"status": "current"})
    html = page.content.decode()
    assert "company__id__exact" not in html
    assert (
        'name="company"' in html and '<input type="hidden" name="status" value="current">' in html
    )


def test_the_sources_column_counts_citations(demo, editor_client):
    tenure = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")
    response = editor_client.get(admin_url(Tenure, "changelist"))
    counts = {t.pk: t.source_count for t in response.context["cl"].result_list}
    assert counts[tenure.pk] == tenure.citations.count() > 0
    uncited = Tenure.objects.create(
        person=tenure.person,
        company=tenure.company,
        role=Role.objects.get(slug="director"),
        start="2011",
    )
    response = editor_client.get(admin_url(Tenure, "changelist"))
    assert {t.pk: t.source_count for t in response.context["cl"].result_list}[uncited.pk] == 0


def test_a_company_change_page_runs_a_fixed_number_of_queries(demo, editor_client):
    company = Company.objects.get(slug="innovo-group")
    url = admin_url(Company, "change", company.pk)
    crowd_company(company, 3)
    few = queries(editor_client, url)
    crowd_company(company, 30, prefix="Other")
    assert queries(editor_client, url) == few


def test_a_company_change_page_shows_its_latest_tenures(demo, editor_client):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 30)
    total = company.tenures.count()
    response = editor_client.get(admin_url(Company, "change", company.pk))
    [tenures] = [f for f in response.context["inline_admin_formsets"] if f.opts.model is Tenure]
    shown = [form.original for form in tenures if form.original is not None]
    assert len(shown) == TENURES_SHOWN
    latest = sorted(company.tenures.exclude(start=None), key=lambda t: t.start_order())
    assert shown[0] == latest[-1]
    assert f"the {TENURES_SHOWN} latest of {total}" in response.content.decode()


def test_inline_rows_name_their_person_and_predecessor(demo, editor_client):
    crossman = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")
    html = editor_client.get(admin_url(Company, "change", crossman.company.pk)).content.decode()
    assert f'<option value="{crossman.person.pk}" selected>Marc B. Crossman</option>' in html
    anderson = crossman.predecessor
    assert f'<option value="{anderson.pk}" selected>{anderson}</option>' in html


def test_a_person_change_page_runs_a_fixed_number_of_queries(demo, editor_client):
    person = Person.objects.get(slug="marc-b-crossman")
    url = admin_url(Person, "change", person.pk)
    few = queries(editor_client, url)
    director = Role.objects.get(slug="director")
    for n in range(30):
        company = Company.objects.create(name=f"Board {n:02d}")
        Tenure.objects.create(person=person, company=company, role=director, start=str(1980 + n))
    assert queries(editor_client, url) == few


def test_a_tenure_change_page_runs_a_fixed_number_of_queries(demo, editor_client):
    # A tenure succeeding another, whose rows of citations and attested days name it.
    tenure = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")
    url = admin_url(Tenure, "change", tenure.pk)
    few = queries(editor_client, url)
    for n in range(10):
        source = Source.objects.create(title=f"Proxy statement {n}", date=f"{2005 + n}-04-01")
        Citation.objects.create(tenure=tenure, source=source, quote="President")
        Attestation.objects.create(tenure=tenure, source=source, day=f"{2005 + n}-04-01")
    assert queries(editor_client, url) == few


@pytest.mark.parametrize(
    "text, names",
    [
        ("ross", {"Marc B. Crossman"}),  # inside a word
        ("JAY", {"Samuel J. Furrow, Jr."}),  # another name, any case
        ("furrow samuel", {"Samuel J. Furrow, Jr."}),  # words in any order
        ("samuel-j", {"Samuel J. Furrow, Jr."}),  # the slug
        ("nobody", set()),
    ],
)
def test_the_person_list_searches_every_name_in_part(demo, editor_client, text, names):
    response = editor_client.get(admin_url(Person, "changelist"), {"q": text})
    assert {person.name for person in response.context["cl"].result_list} == names


@pytest.mark.parametrize(
    "text, holders",
    [
        ("jay furrow", {"Samuel J. Furrow, Jr."}),  # a person by another name
        ("anders", {"Pat Anderson"}),
        ("INNO", {"Pat Anderson", "Marc B. Crossman", "Samuel J. Furrow, Jr."}),  # a company
        ("zzz", set()),
    ],
)
def test_the_tenure_list_searches_persons_and_companies(demo, editor_client, text, holders):
    response = editor_client.get(admin_url(Tenure, "changelist"), {"q": text})
    assert {tenure.person.name for tenure in response.context["cl"].result_list} == holders
