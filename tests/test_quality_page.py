import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Attestation, Company, Role, Tenure
from governance.models.partial_date import PartialDate
from governance.pages import quality
from people.models import OtherName, Person


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
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("quality"))
        for year in range(1960, 1975):
            plant_tenure(start=PartialDate(year), end=PartialDate(year))
            Person.objects.create(name=f"Person {year}")
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("quality"))
        assert len(many) == len(few)

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
