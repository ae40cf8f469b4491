"""/quality/'s lists read live (oldest unconfirmed tenures, undated ones, SEC relationships held
back for review) and how its computed checks are kept up to date (governance.pages.quality)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from governance.models import (
    AppliedFiling,
    Attestation,
    Company,
    HeldBackRelationship,
    QualityRun,
    Role,
    Source,
    Tenure,
)
from governance.models.partial_date import PartialDate
from governance.pages import quality
from governance.sec.importer import import_filings
from people.models import Person
from tests.pages import text_of
from tests.sec_helpers import ownership_xml, write


def crossman() -> Person:
    return Person.objects.get(slug="marc-b-crossman")


def furrow() -> Person:
    return Person.objects.get(slug="samuel-j-furrow-jr")


def plant_unconfirmed(day: datetime.date, **values) -> Tenure:
    """A tenure with no end, attested on day only (so last confirmed on day)."""
    fields = {
        "person": crossman(),
        "company": Company.objects.create(name=f"Held {day.isoformat()}"),
        "role": Role.objects.get(slug="director"),
        "start": PartialDate(day.year - 1),
        **values,
    }
    tenure = Tenure.objects.create(**fields)
    Attestation.objects.create(tenure=tenure, day=day)
    tenure.refresh_intervals()
    return tenure


def check_of(response_or_report, slug: str):
    checks = getattr(response_or_report, "checks", None) or response_or_report.context["checks"]
    return next(check for check in checks if check.slug == slug)


@pytest.mark.django_db
class TestOldestUnconfirmed:
    def test_it_lists_the_demos_unconfirmed_tenures_with_their_last_confirmation(
        self, demo, client
    ):
        response = client.get(reverse("quality"), {"check": "unconfirmed"})
        found = check_of(response, "unconfirmed").findings
        assert {(t.person.name, t.role.slug) for t in found} >= {
            ("Marc B. Crossman", "director"),
            ("Marc B. Crossman", "cfo"),
            ("Marc B. Crossman", "president"),
            ("Samuel J. Furrow, Jr.", "ceo"),
        }
        assert all(t.last_confirmed == PartialDate(2004, 9, 8) for t in found)
        assert "last confirmed 8 Sep 2004" in text_of(response)

    def test_the_oldest_comes_first_and_a_recent_one_is_left_out(self, demo, client):
        oldest = plant_unconfirmed(datetime.date(1991, 3, 4))
        recent = plant_unconfirmed(timezone.localdate() - datetime.timedelta(days=30))
        ended = plant_unconfirmed(datetime.date(1990, 1, 2), end=PartialDate(1995))
        response = client.get(reverse("quality"))
        found = check_of(response, "unconfirmed").findings
        assert found[0] == oldest
        assert recent not in found and ended not in found
        assert "last confirmed 4 Mar 1991" in text_of(response)

    def test_it_pages_through_them_oldest_first_by_where_the_last_page_ended(self, demo, client):
        planted = [plant_unconfirmed(datetime.date(1950 + n, 1, 2)) for n in range(55)]
        # Two of the same day: the cursor tells them apart by id.
        planted.insert(50, plant_unconfirmed(datetime.date(1999, 1, 2), person=furrow()))
        overview = client.get(reverse("quality"))
        assert check_of(overview, "unconfirmed").findings == planted[:10]
        assert "Oldest unconfirmed tenures (more than 10)" in text_of(overview)
        first = client.get(reverse("quality"), {"check": "unconfirmed"})
        check = check_of(first, "unconfirmed")
        assert check.findings == planted[:50]
        assert check.count == 56 + 5  # and the demo's five, confirmed last on 8 Sep 2004
        assert check.next_after == f"1999-01-02_{planted[49].pk}"
        assert f"after={check.next_after}" in first.content.decode()
        second = client.get(reverse("quality"), {"check": "unconfirmed", "after": check.next_after})
        check = check_of(second, "unconfirmed")
        assert check.findings[:6] == planted[50:]
        assert len(check.findings) == 11 and check.next_after == ""
        assert "First page" in text_of(second) and "Next" not in text_of(second)

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"check": "unconfirmed", "after": "1999-13-01_4"}, "is not a place in this list"),
            ({"check": "unconfirmed", "after": "2004-09-08_x"}, "is not a place in this list"),
            ({"check": "held-back", "after": "²"}, "is not a place in this list"),
            ({"check": "undated", "after": "9" * 30}, "is not a place in this list"),
            ({"check": "unconfirmed", "after": "9999_1"}, "is past the last page"),
            ({"check": "unconfirmed", "page": "2"}, "pages by ?after="),
            ({"after": "4"}, "needs a ?check="),
        ],
    )
    def test_a_bad_cursor_is_a_400(self, demo, client, params, message):
        response = client.get(reverse("quality"), params)
        assert response.status_code == 400
        assert message in text_of(response)


@pytest.mark.django_db
def test_undated_tenures_with_no_end_are_listed(demo, client):
    planted = Tenure.objects.create(
        person=crossman(),
        company=Company.objects.get(slug="joes-jeans"),
        role=Role.objects.get(slug="director"),
        start=PartialDate(2005),
    )
    response = client.get(reverse("quality"), {"check": "undated"})
    assert check_of(response, "undated").findings == [planted]
    assert "not confirmed by a dated source" in text_of(response)


def ceo_filing(folder, number: int, name: str, cik: str, day: str, **relationship):
    relationship = relationship or dict(isOfficer="1", officerTitle="Chief Executive Officer")
    data = ownership_xml(period=day, owners=[dict(cik=cik, name=name, **relationship)])
    return write(folder, f"0000990009-24-{number:06d}.xml", data)


@pytest.mark.django_db
class TestHeldBack:
    def test_a_relationship_held_back_by_the_sec_import_is_listed_with_what_it_names(
        self, client, tmp_path
    ):
        ceo_filing(tmp_path, 1, "QUINN LIN", "0000990901", "2019-03-01")
        ceo_filing(tmp_path, 2, "QUINN LIN", "0000990901", "2020-06-30")
        ceo_filing(tmp_path, 3, "RAO PRIYA", "0000990902", "2021-02-01")
        ceo_filing(tmp_path, 4, "RAO PRIYA", "0000990902", "2022-11-30")
        # A late Form 5 of the predecessor, for a day of her successor's: held back.
        ceo_filing(tmp_path, 5, "QUINN LIN", "0000990901", "2022-06-30")
        import_filings([str(tmp_path)])
        [held] = HeldBackRelationship.objects.all()
        response = client.get(reverse("quality"))
        [finding] = check_of(response, "held-back").findings
        assert finding == held
        text = text_of(response)
        assert "SEC relationships held back for review (1)" in text
        assert "Lin Quinn, Chief Executive Officer at NORTHWIND DEVICES INC on 30 Jun 2022" in text
        assert held.reason in text
        page = response.content.decode()
        assert reverse("admin:governance_tenure_change", args=[held.clashing_tenure.pk]) in page
        assert held.filing.source.get_absolute_url() in page
        assert held.person.get_absolute_url() in page
        assert held.company.get_absolute_url() in page

    def test_they_are_paged_newest_first_and_a_deleted_source_is_said(self, demo, client):
        source = Source.objects.create(title="Form 4")
        company = Company.objects.get(slug="innovo-group")
        role = Role.objects.get(slug="ceo")
        for n in range(55):
            filing = AppliedFiling.objects.create(
                accession_number=f"0000990009-24-{n:06d}",
                owner_cik="0000990901",
                owner_name="CROSSMAN MARC B",
                issuer_cik="0000844143",
                form_type="4",
                period_of_report=datetime.date(2020, 1, 1),
                source=source if n else None,
            )
            HeldBackRelationship.objects.create(
                filing=filing,
                person=crossman(),
                company=company,
                role=role,
                title=f"CEO {n:02d}",
                day=datetime.date(2020, 1, 1),
                reason="Two holders at once.",
            )
        first = client.get(reverse("quality"), {"check": "held-back"})
        check = check_of(first, "held-back")
        assert [h.title for h in check.findings][:2] == ["CEO 54", "CEO 53"]
        second = client.get(reverse("quality"), {"check": "held-back", "after": check.next_after})
        titles = [h.title for h in check_of(second, "held-back").findings]
        assert titles == ["CEO 04", "CEO 03", "CEO 02", "CEO 01", "CEO 00"]
        assert "its source has been deleted" in text_of(second)


@pytest.mark.django_db
class TestComputedChecks:
    def test_the_command_computes_them_and_the_page_says_when(self, demo, client):
        out = io.StringIO()
        call_command("compute_quality", stdout=out)
        assert "unsourced: 0 findings" in out.getvalue()
        assert set(QualityRun.objects.values_list("check_slug", flat=True)) == set(
            quality.COMPUTED_SLUGS
        )
        text = text_of(client.get(reverse("quality")))
        assert "Computed " in text and "UTC in" in text
        assert "changed since" not in text

    def test_a_change_to_the_record_is_recomputed_when_the_page_is_next_read(self, demo, client):
        client.get(reverse("quality"))
        planted = Tenure.objects.create(
            person=crossman(),
            company=Company.objects.get(slug="joes-jeans"),
            role=Role.objects.get(slug="director"),
            start=PartialDate(2005),
        )
        response = client.get(reverse("quality"))  # tests run the task at once
        assert check_of(response, "unsourced").findings == [planted]

    def test_a_finding_deleted_since_is_left_out(self, demo, client):
        planted = Tenure.objects.create(
            person=crossman(),
            company=Company.objects.get(slug="joes-jeans"),
            role=Role.objects.get(slug="director"),
            start=PartialDate(2005),
        )
        quality.compute_findings("an older version")
        planted.delete()
        report = quality.quality_report(timezone.localdate(), "an older version")
        assert check_of(report, "unsourced").findings == []

    def test_without_a_worker_the_page_says_they_are_stale_and_is_not_cached(
        self, demo, client, settings
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        settings.PAGE_CACHE = True
        default_task_backend.clear()
        first = client.get(reverse("quality"))
        assert "they are being computed again" in text_of(first)
        assert "ETag" not in first
        assert len(default_task_backend.results) == 1
        again = client.get(reverse("quality"))
        assert "will be computed again shortly" in text_of(again)
        assert len(default_task_backend.results) == 1  # asked for once, not per request
        call_command("compute_quality", stdout=io.StringIO())
        fresh = client.get(reverse("quality"))
        assert "computed again" not in text_of(fresh)
        assert "ETag" in fresh
