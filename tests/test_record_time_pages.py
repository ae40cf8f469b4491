"""?recorded= on the company and person pages and the tenure export: the record as it stood."""

import datetime

import pytest
from django.urls import reverse

from governance.models import Company, Tenure
from tests.admin_forms import edit_in_admin
from tests.pages import count_queries, crowd_company, text_of

COMPANY = "/companies/innovo-group/"


@pytest.fixture
def edited(demo, editor_client):
    """The issue's scenario: Anderson's presidency now ends 7 Sep 2004, edited with a reason."""
    tenure = Tenure.objects.get(
        person__slug="pat-anderson", role__slug="president", company__slug="innovo-group"
    )
    before_edit = datetime.datetime.now(datetime.UTC)
    response = edit_in_admin(
        editor_client,
        reverse("admin:governance_tenure_change", args=[tenure.pk]),
        end="2004-09-07",
        change_reason="8-K/A corrects the date",
    )
    assert response.status_code == 302
    return before_edit.isoformat()


def anderson_row(response) -> str:
    tenure = next(
        t
        for t in response.context["tenures"]
        if t.person.name == "Pat Anderson" and t.role.slug == "president"
    )
    return tenure.dates_display


def test_the_company_page_before_the_edit_shows_the_old_end_and_today_the_new(client, edited):
    past = client.get(COMPANY, {"recorded": edited})
    assert past.status_code == 200
    assert anderson_row(past) == "Jul 1990 – Sep 2004"
    assert "You are looking at the record as it stood at" in past.content.decode()
    now = client.get(COMPANY)
    assert anderson_row(now) == "Jul 1990 – 7 Sep 2004"
    assert "You are looking at the record as it stood" not in now.content.decode()


def test_recorded_combines_with_on(client, edited):
    response = client.get(COMPANY, {"recorded": edited, "on": "2004-09-08"})
    president = next(row for row in response.context["holders"] if row.role.slug == "president")
    assert [t.person.name for t in president.confirmed] == ["Marc B. Crossman"]
    assert [t.person.name for t in president.possible] == ["Pat Anderson"]
    response = client.get(COMPANY, {"on": "2004-09-08"})
    president = next(row for row in response.context["holders"] if row.role.slug == "president")
    assert [t.person.name for t in president.possible] == []  # now known to have ended on the 7th


def test_the_date_control_and_export_link_keep_the_recorded_moment(client, edited):
    response = client.get(COMPANY, {"recorded": edited, "on": "2004-09-08"})
    html = response.content.decode()
    assert 'name="recorded"' in html
    assert "recorded=" in response.context["export_url"]
    assert "on=2004-09-08" in response.context["export_url"]


def test_a_moment_before_the_company_was_recorded_is_a_404_saying_so(client, demo):
    response = client.get(COMPANY, {"recorded": "2000-01-01"})
    assert response.status_code == 404
    assert (
        "Innovo Group Inc. was not yet in the record at 1 Jan 2000, 23:59 UTC."
        in response.content.decode()
    )


@pytest.mark.parametrize("value", ["yesterday", "2005-02-30", "2005-1-1", ""])
def test_a_bad_recorded_value_is_a_400_with_a_message(client, demo, value):
    for url in [COMPANY, "/people/pat-anderson/", "/export/tenures.csv"]:
        response = client.get(url, {"recorded": value})
        assert response.status_code == 400, url
        assert "recorded" in response.content.decode()


def test_the_person_page_shows_the_past_record(client, edited):
    past = client.get("/people/pat-anderson/", {"recorded": edited})
    assert "Jul 1990 – Sep 2004" in text_of(past)
    assert "Jul 1990 – 7 Sep 2004" in text_of(client.get("/people/pat-anderson/"))


def test_the_export_as_recorded_gives_the_old_end(client, edited):
    past = b"".join(
        client.get(
            "/export/tenures.csv", {"company": "innovo-group", "recorded": edited}
        ).streaming_content
    )
    now = b"".join(client.get("/export/tenures.csv", {"company": "innovo-group"}).streaming_content)
    assert b"Pat Anderson,Innovo Group Inc.,president,President,1990-07,2004-09,resigned" in past
    assert b"Pat Anderson,Innovo Group Inc.,president,President,1990-07,2004-09-07,resigned" in now


def test_the_export_as_recorded_now_equals_the_live_export(client, demo):
    now = datetime.datetime.now(datetime.UTC).isoformat()
    live = b"".join(client.get("/export/tenures.csv").streaming_content)
    recorded = b"".join(client.get("/export/tenures.csv", {"recorded": now}).streaming_content)
    assert recorded == live


def test_the_past_company_page_runs_a_fixed_number_of_queries(client, demo):
    company = Company.objects.get(slug="innovo-group")
    crowd_company(company, 3)
    moment = datetime.datetime.now(datetime.UTC).isoformat()
    few = count_queries(client, f"{COMPANY}?recorded={moment}&on=2004-09-08".replace("+", "%2B"))
    crowd_company(company, 20, prefix="Other")
    moment = datetime.datetime.now(datetime.UTC).isoformat()
    many = count_queries(client, f"{COMPANY}?recorded={moment}&on=2004-09-08".replace("+", "%2B"))
    assert few == many


def test_a_company_with_no_tenures_at_the_moment_shows_its_page_as_recorded(client, demo):
    Company.objects.create(name="Empty Shell Corp.")
    recorded = datetime.datetime.now(datetime.UTC).isoformat().replace("+", "%2B")
    response = client.get(f"/companies/empty-shell-corp/?recorded={recorded}")
    assert response.status_code == 200
    assert "No tenures recorded." in text_of(response)
