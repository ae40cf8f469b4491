"""The A–Z indexes: /companies/ and /people/."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Attestation, Company, Role, Tenure
from people.models import Person
from tests.pages import count_queries, crowd_company, text_of


def test_companies_lists_each_with_its_current_roles(client, demo):
    response = client.get("/companies/")
    assert response.status_code == 200
    text = text_of(response)
    # Each held, as far as the record shows, but last confirmed in 2004.
    assert (
        "Innovo Group Inc. NASDAQ: INNO "
        "President: Marc B. Crossman (8 Sep 2004 –) · last confirmed 8 Sep 2004 "
        "Chief Financial Officer: Marc B. Crossman (Mar 2003 –) · last confirmed 8 Sep 2004 "
        "Director: Marc B. Crossman (Jan 1999 –) · last confirmed 8 Sep 2004"
    ) in text
    # Attested-only and ended tenures are not current.
    assert "Pat Anderson" not in text and "Furrow" not in text


def test_people_are_listed_by_family_name_with_current_roles(client, demo):
    text = text_of(client.get("/people/"))
    assert text.index("Anderson, Pat") < text.index("Crossman, Marc B.") < text.index("Furrow")
    assert "President, Innovo Group Inc. (8 Sep 2004 –) · last confirmed 8 Sep 2004" in text


def test_a_role_confirmed_lately_says_nothing_more_and_an_undated_one_says_so(client, demo):
    crossman = Person.objects.get(slug="marc-b-crossman")
    joes = Company.objects.get(slug="joes-jeans")
    director = Role.objects.get(slug="director")
    recent = Tenure.objects.create(person=crossman, company=joes, role=director, start="2020")
    Attestation.objects.create(tenure=recent, day=timezone.localdate() - datetime.timedelta(30))
    recent.refresh_intervals()
    Tenure.objects.create(
        person=crossman,
        company=Company.objects.create(name="Undated Co"),
        role=director,
        start="2019",
    )
    text = text_of(client.get("/people/"))
    assert "Director, Joe's Jeans (2020 –)" in text
    assert "Director, Joe's Jeans (2020 –) ·" not in text
    assert "Director, Undated Co (2019 –) · not confirmed by a dated source" in text
    companies = text_of(client.get("/companies/"))
    assert "Director: Marc B. Crossman (2019 –) · not confirmed by a dated source" in companies
    assert "Director: Marc B. Crossman (2020 –) ·" not in companies


@pytest.mark.parametrize("url, letter_of", [("/companies/", "name"), ("/people/", "sort_name")])
def test_the_letter_bar_links_present_initials_and_filters(client, demo, url, letter_of):
    response = client.get(url)
    letters = dict(response.context["letters"])
    assert letters["A"] is (url == "/people/")
    assert letters["I"] is (url == "/companies/")
    assert len([letter for letter in letters if "A" <= letter <= "Z"]) == 26
    letter = "C" if url == "/people/" else "J"
    response = client.get(url, {"letter": letter.lower()})
    names = [getattr(row, letter_of) for row in response.context["page"].object_list]
    assert names and all(name.upper().startswith(letter) for name in names)


def test_the_letter_bar_includes_accented_and_rtl_initials(client, demo):
    Person.objects.create(name="Élise Émond", sort_name="Émond, Élise")
    Person.objects.create(name="محمد الأمين", sort_name="الأمين، محمد")
    response = client.get("/people/")
    letters = dict(response.context["letters"])
    # SQLite upper-cases ASCII only; either way the initial shown leads to its entries.
    accented = next(letter for letter in letters if letter in ("É", "é"))
    response = client.get("/people/", {"letter": accented})
    assert [p.name for p in response.context["page"].object_list] == ["Élise Émond"]
    response = client.get("/people/", {"letter": "ا"})
    assert [p.name for p in response.context["page"].object_list] == ["محمد الأمين"]


@pytest.mark.parametrize("url", ["/companies/", "/people/"])
@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "is not a page number"),
        ({"page": "0"}, "is not a page number"),
        # A digit to str.isdigit(), but not to int(): was a 500.
        ({"page": "²"}, "is not a page number"),
        ({"page": "99"}, "is past the last page"),
        ({"letter": "ab"}, "is not a letter"),
        ({"letter": "<"}, "is not a letter"),
    ],
)
def test_bad_parameters_give_a_400_page(client, demo, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    assert message in text_of(response)


def test_companies_are_paginated(client, demo):
    for n in range(60):
        Company.objects.create(name=f"Zeta {n:02d}")
    response = client.get("/companies/")
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in text_of(response)
    response = client.get("/companies/", {"page": 2})
    assert "Zeta 59" in text_of(response)


@pytest.mark.parametrize("url", ["/companies/", "/people/"])
def test_it_runs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries, url):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 2)
    few = count_queries(client, url)
    crowd_company(company, 30, prefix="Other")
    for n in range(10):
        crowd_company(Company.objects.create(name=f"Firm {n}"), 2, prefix=f"Staff{n}")
    assert count_queries(client, url) == few
    with django_assert_max_num_queries(5):
        client.get(url)
