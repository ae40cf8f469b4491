import re

import pytest

from people.models import OtherName, Person
from tests.pages import count_queries, text_of


def found_people(response):
    return [person.name for person in response.context["people"]]


@pytest.mark.parametrize("query", ["Jay Furrow", "jay furrow", "JAY FUR", "furrow jr", "samuel"])
def test_it_finds_a_person_by_any_name_case_and_partial_words(client, demo, query):
    response = client.get("/", {"q": query})
    assert found_people(response) == ["Samuel J. Furrow, Jr."]
    assert "Samuel J. Furrow, Jr. — also known as Jay Furrow" in text_of(response)


def test_it_matches_without_accents_either_way(client, demo):
    person = Person.objects.create(name="Zoë Ångström")
    OtherName.objects.create(person=person, name="Zoé Angstrom-Duval")
    assert found_people(client.get("/", {"q": "zoe angstrom"})) == ["Zoë Ångström"]
    assert found_people(client.get("/", {"q": "ZOË ÅNG"})) == ["Zoë Ångström"]
    assert found_people(client.get("/", {"q": "duval"})) == ["Zoë Ångström"]


def test_it_finds_companies_by_name_and_ticker(client, demo):
    response = client.get("/", {"q": "innovo"})
    names = [company.name for company in response.context["companies_found"]]
    assert "Innovo Group Inc." in names and "Innovo, Inc." in names
    response = client.get("/", {"q": "INNO"})
    assert "Innovo Group Inc." in [c.name for c in response.context["companies_found"]]


def test_it_says_when_nothing_matches(client, demo):
    assert "Nothing matches “zzzz”." in text_of(client.get("/", {"q": "zzzz"}))


def test_a_query_with_a_nul_character_finds_nothing_on_every_backend(client, demo):
    # PostgreSQL text cannot hold a NUL: the company search crashed there (a 500).
    response = client.get("/", {"q": "inno\x00vo"})
    assert response.status_code == 200
    assert response.context["companies_found"] == []


def test_it_lists_the_companies_and_latest_changes(client, demo):
    response = client.get("/")
    text = text_of(response)
    assert "Innovo, Inc. subsidiary of Innovo Group Inc." in text
    assert "Latest changes to the record" in text
    assert "Demo record from the seed filings" in text
    # The demo was loaded in one go, for one reason: one entry, with every record in it.
    [entry] = response.context["entries"]
    assert len(entry.changes) > 30
    assert entry.newest.why.startswith("Demo record from the seed filings")


def test_it_has_a_labelled_search_box(client, demo):
    page = client.get("/").content.decode()
    assert '<label for="q">' in page and 'id="q" name="q"' in page
    assert "<script" not in page and not re.search(r"\son[a-z]+\s*=", page)


def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    # The latest changes name records of up to five kinds, one query each (none for a kind
    # absent from the page), so the count has a fixed ceiling rather than one exact value.
    assert count_queries(client, "/?q=furrow") <= 10
    for n in range(30):
        person = Person.objects.create(name=f"Furrow {n}")
        OtherName.objects.create(person=person, name=f"F. Furrow {n}")
    assert len(client.get("/?q=furrow").context["people"]) == 31
    with django_assert_max_num_queries(10):
        client.get("/?q=furrow")


def test_search_hits_show_each_persons_roles_and_not_the_companies_list(client, demo):
    response = client.get("/", {"q": "crossman"})
    text = text_of(response)
    assert (
        "Marc B. Crossman — also known as MARC CROSSMAN Director, Innovo Group Inc. (Jan 1999 –) "
        "Chief Financial Officer, Innovo Group Inc. (Mar 2003 –) "
        "President, Innovo Group Inc. (8 Sep 2004 –)"
    ) in text
    # The hits, not the home page's lists below them.
    assert "Latest changes to the record" not in text
    assert 'id="companies-heading"' not in response.content.decode()


def test_the_roles_of_the_hits_cost_one_query_however_many(client, demo, django_assert_num_queries):
    from governance.models import Company, Role, Tenure

    few = count_queries(client, "/?q=furrow")
    company = Company.objects.get(slug="innovo-group")
    director = Role.objects.get(slug="director")
    for n in range(20):
        person = Person.objects.create(name=f"Furrow {n}")
        Tenure.objects.create(person=person, company=company, role=director, title="Director")
    response = client.get("/?q=furrow")
    assert "Director, Innovo Group Inc." in text_of(response)
    assert count_queries(client, "/?q=furrow") == few
