import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.history.record_time import (
    company_as_recorded,
    person_as_recorded,
)
from governance.models import Attestation, Company, Tenure
from governance.models.partial_date import PartialDate
from people.models import Person
from tests.test_forms import parse_recorded

UTC = datetime.UTC


def anderson_president() -> Tenure:
    return Tenure.objects.get(person__slug="pat-anderson", role__slug="president", start="1990-07")


def edit_anderson_end() -> datetime.datetime:
    """Change Anderson's President end to 7 Sep 2004; return a moment just before the edit."""
    before = timezone.now()
    tenure = anderson_president()
    tenure.end = PartialDate(2004, 9, 7)
    tenure._change_reason = "8-K filed 8 Sep 2004"
    tenure.save()
    return before


def presidency(record, slug="pat-anderson"):
    return next(
        t
        for t in record.tenures
        if t.role.slug == "president" and t.person.slug == slug and t.company.slug == "innovo-group"
    )


@pytest.mark.django_db
class TestCompanyAsRecorded:
    def test_before_the_edit_the_end_is_sep_2004_and_after_7_sep(self, demo):
        group = Company.objects.get(slug="innovo-group")
        before = edit_anderson_end()
        then = company_as_recorded(group, before)
        now = company_as_recorded(group, timezone.now())
        assert presidency(then).dates_display == "Jul 1990 – Sep 2004"
        assert presidency(now).dates_display == "Jul 1990 – 7 Sep 2004"
        assert presidency(then).certain_end == datetime.date(2004, 9, 1)
        assert presidency(now).certain_end == datetime.date(2004, 9, 7)

    def test_who_was_president_as_recorded_before_the_edit(self, demo):
        group = Company.objects.get(slug="innovo-group")
        before = edit_anderson_end()
        held = company_as_recorded(group, before, on=datetime.date(2004, 9, 1)).on
        presidents = [t.person.name for t in held.certain if t.role.slug == "president"]
        assert presidents == ["Pat Anderson"]
        on_8_sep = company_as_recorded(group, before, on=datetime.date(2004, 9, 8)).on
        assert [t.person.name for t in on_8_sep.certain if t.role.slug == "president"] == [
            "Marc B. Crossman"
        ]
        assert [t.person.name for t in on_8_sep.only_possible if t.role.slug == "president"] == [
            "Pat Anderson"
        ]

    def test_the_past_state_matches_the_live_one_when_nothing_changed(self, demo):
        group = Company.objects.get(slug="innovo-group")
        record = company_as_recorded(group, timezone.now())
        live = {t.pk: t for t in Tenure.objects.filter(company=group)}
        assert {t.pk for t in record.tenures} == set(live)
        for tenure in record.tenures:
            for name in [
                "title",
                "start",
                "end",
                "end_reason",
                "predecessor_id",
                "has_certain_days",
                "certain_start",
                "certain_end",
                "possible_start",
                "possible_end",
            ]:
                assert getattr(tenure, name) == getattr(live[tenure.pk], name), (tenure, name)
            assert tenure.dates_display == live[tenure.pk].dates_display
            assert tenure.is_current == live[tenure.pk].is_current

    def test_it_offers_what_a_live_tenure_offers_without_queries(self, demo):
        group = Company.objects.get(slug="innovo-group")
        record = company_as_recorded(group, timezone.now())
        with CaptureQueriesContext(connection) as queries:
            crossman = presidency(record, "marc-b-crossman")
            assert crossman.predecessor.person.name == "Pat Anderson"
            assert [c.source.exhibit for c in crossman.citations.all()] == ["99.1"]
            furrow = next(t for t in record.tenures if t.role.slug == "ceo")
            assert [a.day.isoformat() for a in furrow.attestations.all()] == [
                "2003-02-07",
                "2004-09-08",
            ]
            assert furrow.dates_display == "attested 7 Feb 2003 – 8 Sep 2004"
            assert presidency(record).possible_end == datetime.date(2004, 9, 8)
        assert len(queries) == 0

    def test_it_runs_a_fixed_number_of_queries(self, demo):
        group = Company.objects.get(slug="innovo-group")
        with CaptureQueriesContext(connection) as few:
            company_as_recorded(group, timezone.now())
        anderson = Person.objects.get(slug="pat-anderson")
        for year in range(1960, 1980):
            Tenure.objects.create(
                person=anderson,
                company=group,
                role=anderson_president().role.__class__.objects.get(slug="director"),
                start=PartialDate(year),
                end=PartialDate(year),
            )
        with CaptureQueriesContext(connection) as many:
            record = company_as_recorded(group, timezone.now())
        assert len(record.tenures) == 26
        assert len(many) == len(few)

    def test_an_attestation_added_later_is_not_in_the_past_state(self, demo):
        furrow_ceo = Tenure.objects.get(role__slug="ceo")
        before = timezone.now()
        Attestation.objects.create(tenure=furrow_ceo, day=datetime.date(2005, 3, 1))
        then = company_as_recorded(furrow_ceo.company, before)
        now = company_as_recorded(furrow_ceo.company, timezone.now())
        ceo = lambda record: next(t for t in record.tenures if t.role.slug == "ceo")  # noqa: E731
        assert ceo(then).certain_end == datetime.date(2004, 9, 8)
        assert ceo(now).certain_end == datetime.date(2005, 3, 1)

    def test_before_the_company_existed_there_is_nothing(self, demo):
        group = Company.objects.get(slug="innovo-group")
        record = company_as_recorded(group, parse_recorded("2001-01-01"))
        assert not record.existed
        assert record.tenures == []

    def test_a_deleted_tenure_is_gone_after_and_there_before(self, demo):
        tenure = Tenure.objects.get(role__slug="cfo")
        pk = tenure.pk
        before = timezone.now()
        tenure.delete()
        group = Company.objects.get(slug="innovo-group")
        assert pk in {t.pk for t in company_as_recorded(group, before).tenures}
        assert pk not in {t.pk for t in company_as_recorded(group, timezone.now()).tenures}


@pytest.mark.django_db
def test_a_persons_tenures_as_recorded(demo):
    anderson = Person.objects.get(slug="pat-anderson")
    before = edit_anderson_end()
    then = person_as_recorded(anderson, before)
    assert [t.dates_display for t in sorted(then.tenures, key=Tenure.start_order)] == [
        "attested 8 Sep 2004",
        "Jul 1990 – Sep 2004",
        "Aug 1990 – Sep 2004",
    ]
    # The successor, another person's tenure, still bounds her possible end.
    assert presidency(then).possible_end == datetime.date(2004, 9, 8)
    now = person_as_recorded(anderson, timezone.now(), on=datetime.date(2004, 9, 1))
    assert presidency(now).dates_display == "Jul 1990 – 7 Sep 2004"
    assert {t.role.slug for t in now.on.certain} == {"president", "director"}


def test_the_banner_says_the_page_shows_a_past_state():
    from django.template.loader import render_to_string

    html = render_to_string(
        "snippets/recorded_banner.html",
        {"recorded": parse_recorded("2005-01-01"), "now_url": "/companies/innovo-group/"},
    )
    assert "as it stood at" in html
    assert "1 Jan 2005, 23:59:59 UTC" in html
    assert 'href="/companies/innovo-group/"' in html
    assert render_to_string("snippets/recorded_banner.html", {}).strip() == ""


@pytest.mark.django_db
def test_done_when_an_admin_edit_leaves_the_past_state_readable(demo, editor_client):
    """Issue 6, done when: edit Anderson's end in the admin; before it, Sep 2004; now, 7 Sep."""
    from django.urls import reverse

    from tests.admin_forms import edit_in_admin

    tenure = anderson_president()
    before = timezone.now()
    url = reverse("admin:governance_tenure_change", args=[tenure.pk])
    edit_in_admin(editor_client, url, end="2004-09-07", change_reason="8-K filed 8 Sep 2004")
    group = Company.objects.get(slug="innovo-group")
    recorded = parse_recorded(before.isoformat())
    assert presidency(company_as_recorded(group, recorded)).dates_display == "Jul 1990 – Sep 2004"
    now = company_as_recorded(group, timezone.now())
    assert presidency(now).dates_display == "Jul 1990 – 7 Sep 2004"
    held = company_as_recorded(group, recorded, on=datetime.date(2004, 9, 1)).on
    assert "Pat Anderson" in [t.person.name for t in held.certain if t.role.slug == "president"]


@pytest.mark.django_db
def test_tenures_for_the_export_as_recorded(demo):
    from governance.history.record_time import tenures_as_recorded

    before = edit_anderson_end()
    everything = tenures_as_recorded(before)
    assert len(everything) == Tenure.objects.count()
    president = anderson_president().role
    then = tenures_as_recorded(before, role=president, on=datetime.date(2004, 9, 1))
    assert [(t.person.name, str(t.end)) for t in then] == [("Pat Anderson", "Sep 2004")]
    group = Company.objects.get(slug="innovo-group")
    with CaptureQueriesContext(connection) as queries:
        tenures_as_recorded(timezone.now(), company=group)
    assert len(queries) <= 9
