import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Attestation, Company, Role, Tenure
from governance.models.partial_date import PartialDate
from governance.pages import quality
from people.models import OtherName, Person
from tests.pages import text_of


def group() -> Company:
    return Company.objects.get(slug="innovo-group")


def plant_tenure(**values) -> Tenure:
    fields = {
        "person": Person.objects.get(slug="marc-b-crossman"),
        "company": Company.objects.get(slug="joes-jeans"),
        "role": Role.objects.get(slug="director"),
        **values,
    }
    return Tenure.objects.create(**fields)


ALL_CHECKS = [
    quality.unsourced_tenures,
    quality.single_seat_possible_overlaps,
    quality.unattested_attestation_only_tenures,
    quality.persons_without_tenures,
    quality.duplicate_person_candidates,
    quality.attested_outside_possible,
]


@pytest.mark.django_db
@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda check: check.__name__)
def test_the_clean_demo_has_no_finding(demo, check):
    assert list(check()) == []


@pytest.mark.django_db
class TestEachCheckFindsAPlantedProblem:
    def test_unsourced_tenures(self, demo):
        planted = plant_tenure(start=PartialDate(2005))
        assert list(quality.unsourced_tenures()) == [planted]
        assert planted.unsourced
        flagged = quality.with_unsourced_flag(Tenure.objects.all())
        assert {t.pk for t in flagged if t.unsourced} == {planted.pk}

    def test_single_seat_possible_overlaps(self, demo):
        # Possible over all of 2004, certain on no day: accepted, but overlaps Anderson.
        planted = plant_tenure(
            company=group(),
            role=Role.objects.get(slug="president"),
            start=PartialDate(2004),
            end=PartialDate(2004),
        )
        found = {t.pk: t.overlaps_id for t in quality.single_seat_possible_overlaps()}
        anderson = Tenure.objects.get(
            person__slug="pat-anderson", role__slug="president", start="1990-07"
        )
        assert found[planted.pk] == anderson.pk
        assert found[anderson.pk] == planted.pk

    def test_attestation_only_tenures_without_attested_day(self, demo):
        planted = plant_tenure()
        assert list(quality.unattested_attestation_only_tenures()) == [planted]

    def test_persons_without_tenures(self, demo):
        planted = Person.objects.create(name="Nobody Atall")
        assert list(quality.persons_without_tenures()) == [planted]

    def test_duplicate_persons_by_name(self, demo):
        planted = Person.objects.create(name="PAT  ANDERSON")
        (group_,) = quality.duplicate_persons()
        assert group_.name == "pat anderson"
        assert {p.pk for p in group_.persons} == {
            planted.pk,
            Person.objects.get(slug="pat-anderson").pk,
        }

    def test_duplicate_persons_by_other_name(self, demo):
        planted = Person.objects.create(name="S. J. Furrow")
        OtherName.objects.create(person=planted, name="Jay Furrow")
        (group_,) = quality.duplicate_persons()
        assert group_.name == "jay furrow"
        assert len(group_.persons) == 2

    def test_attested_day_outside_the_possible_interval(self, demo):
        director = Tenure.objects.get(person__slug="pat-anderson", role__slug="director")
        Attestation.objects.create(tenure=director, day=datetime.date(2010, 1, 4))
        assert list(quality.attested_outside_possible()) == [director]


@pytest.mark.django_db
class TestThePage:
    def test_it_lists_findings_linked_to_the_admin(self, demo, client):
        planted = plant_tenure(start=PartialDate(2005))
        response = client.get(reverse("quality"))
        assert response.status_code == 200
        page = response.content.decode()
        assert reverse("admin:governance_tenure_change", args=[planted.pk]) in page
        assert "Unsourced tenures (1)" in page
        assert "Likely duplicate persons (0)" in page

    def test_it_runs_a_fixed_number_of_queries(self, demo, client):
        plant_findings(1)
        few = queries_once_computed(client)
        for year in range(1960, 1975):
            plant_tenure(start=PartialDate(year), end=PartialDate(year))
            Person.objects.create(name=f"Person {year}")
        plant_findings(9, offset=1)
        assert queries_once_computed(client) == few

    def test_names_are_escaped(self, demo, client):
        Person.objects.create(name="<script>alert(1)</script>")
        page = client.get(reverse("quality")).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_the_admin_filters_tenures_by_sources(demo, editor_client):
    planted = plant_tenure(start=PartialDate(2005))
    url = reverse("admin:governance_tenure_changelist")
    unsourced = editor_client.get(url, {"sourced": "no"})
    assert list(unsourced.context["cl"].result_list) == [planted]
    sourced = editor_client.get(url, {"sourced": "yes"})
    assert planted not in sourced.context["cl"].result_list
    assert len(sourced.context["cl"].result_list) == 7


def plant_unsourced(count: int) -> list[Tenure]:
    return [plant_tenure(start=PartialDate(1900 + n)) for n in range(count)]


@pytest.mark.django_db
class TestPagesOfFindings:
    def test_the_overview_shows_the_first_page_and_links_to_the_rest(self, demo, client):
        plant_unsourced(60)
        text = text_of(client.get(reverse("quality")))
        # Computed: counted when computed, at no cost to the page.
        assert "Unsourced tenures (60)" in text
        assert "All of them, 50 a page" in text
        response = client.get(reverse("quality"), {"check": "unsourced"})
        [check] = response.context["checks"]
        assert (check.count, len(check.findings)) == (60, 50)
        assert "Unsourced tenures (60)" in text_of(response)
        assert "Page 1 of 2" in text_of(response)
        second = client.get(reverse("quality"), {"check": "unsourced", "page": 2})
        [check] = second.context["checks"]
        assert [t.start for t in check.findings] == [PartialDate(1950 + n) for n in range(10)]
        assert "Likely duplicate persons" not in text_of(second)

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"check": "unsourced", "page": "3"}, "is past the last page of unsourced"),
            ({"check": "nothing"}, "?check=nothing is not a check"),
            ({"page": "2"}, "needs a ?check="),
            ({"check": "unsourced", "page": "x"}, "is not a page number"),
        ],
    )
    def test_a_bad_page_or_check_is_a_400(self, demo, client, params, message):
        plant_unsourced(60)
        response = client.get(reverse("quality"), params)
        assert response.status_code == 400
        assert message in text_of(response)

    @pytest.mark.parametrize("slug", quality.CHECK_SLUGS)
    def test_a_checks_page_runs_a_fixed_number_of_queries(self, demo, client, slug):
        # From a few findings to a page of them (at most 48 of each kind)...
        plant_findings(3)
        few = queries_once_computed(client, check=slug)
        plant_findings(9, offset=3)
        assert queries_once_computed(client, check=slug) == few

    def test_pages_of_a_long_check_run_a_fixed_number_of_queries(self, demo, client):
        def queries(page: int) -> int:
            return queries_once_computed(client, check="unsourced", page=page)

        # ...and from two pages to many, the count no longer free.
        plant_unsourced(60)
        few = queries(1), queries(2)
        plant_findings(30)
        assert (queries(1), queries(2)) == few

    def test_overlaps_page_in_the_order_of_the_whole_list(self, demo):
        plant_findings(4)
        everything = list(quality.single_seat_possible_overlaps())
        pages = quality.OverlapFindings()
        assert len(everything) > 4 and pages.count() == len(everything)
        assert [t.pk for t in pages[0:3] + pages[3:None]] == [t.pk for t in everything]
        assert [t.overlaps_id for t in pages[0:None]] == [t.overlaps_id for t in everything]

    def test_duplicate_names_page_in_order(self, demo):
        plant_findings(4)
        keys = quality.DuplicateKeys()
        groups = quality.duplicate_persons()
        assert keys.count() == len(groups) == 4
        assert keys[1:3] == [group.name for group in groups[1:3]]


def plant_findings(count: int, offset: int = 0) -> None:
    """count findings of each check: overlapping presidents (unsourced too), an attestation-only
    tenure with no attested day, an attested day out of its tenure, and twins of no tenure."""
    president = Role.objects.get(slug="president")
    for n in range(offset, offset + count):
        company = Company.objects.create(name=f"Overlap {n:02d}")
        # Possible over a year each, certain on no day: overlapping, unsourced.
        for person in ("marc-b-crossman", "pat-anderson"):
            plant_tenure(
                company=company,
                role=president,
                person=Person.objects.get(slug=person),
                start=PartialDate(2004),
                end=PartialDate(2004),
            )
        plant_tenure(company=company, start=None)  # attestation-only, no attested day
        attested = plant_tenure(company=company, start=PartialDate(1990), end=PartialDate(1991))
        Attestation.objects.create(tenure=attested, day=datetime.date(2010, 1, 4))
        Person.objects.create(name=f"Twin {n:02d}")
        Person.objects.create(name=f"twin {n:02d}.")


def queries_once_computed(client, **params) -> int:
    """The queries of a page of /quality/ whose computed checks are up to date (the first
    request after a change computes them, here in the request: the tests' task backend)."""
    assert client.get(reverse("quality"), params).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("quality"), params).status_code == 200
    return len(captured)
