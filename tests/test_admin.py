"""Admin data entry: every model's pages, change reasons into history, clear validation errors."""

import pytest
from django.urls import reverse

from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
    Transaction,
)
from people.models import OtherName, Person
from tests.admin_forms import admin_form_data, opened_version

MODELS = [
    Person,
    OtherName,
    Company,
    FormerName,
    Founder,
    Role,
    Source,
    SourceParty,
    Tenure,
    Citation,
    Attestation,
    Transaction,
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_list_add_change_and_history_pages(demo, editor_client, model):
    FormerName.objects.get_or_create(
        company=Company.objects.get(slug="innovo-group"), name="Innovo Group"
    )
    obj = model.objects.first()
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_the_admin_needs_a_staff_login(demo, client):
    response = client.get(admin_url(Tenure, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def tenure_form(tenure: Tenure, **changes) -> dict:
    data = {
        "person": tenure.person_id,
        "company": tenure.company_id,
        "role": tenure.role_id,
        "title": tenure.title,
        "start": tenure.start.isoformat() if tenure.start else "",
        "end": tenure.end.isoformat() if tenure.end else "",
        "end_reason": tenure.end_reason,
        "predecessor": tenure.predecessor_id or "",
        "notes": tenure.notes,
        "change_reason": "",
    }
    for prefix in ["citations", "attestations"]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def andersons_presidency() -> Tenure:
    return Tenure.objects.get(
        person__slug="pat-anderson", company__slug="innovo-group", role__slug="president"
    )


def test_an_edit_is_kept_in_history_with_its_user_and_reason(demo, editor, editor_client):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    response = editor_client.post(
        url,
        tenure_form(
            tenure,
            end="2004-09-07",
            change_reason="8-K filed 8 Sep 2004",
            record_version=opened_version(editor_client, url),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    latest = tenure.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "8-K filed 8 Sep 2004")
    assert str(latest.end) == "7 Sep 2004"
    assert str(latest.prev_record.end) == "Sep 2004"
    response = editor_client.get(admin_url(Tenure, "history", tenure.pk))
    assert "8-K filed 8 Sep 2004" in response.content.decode()


def test_an_edit_without_a_reason_is_refused(demo, editor_client):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    response = editor_client.post(
        url,
        tenure_form(tenure, end="2004-09-07", record_version=opened_version(editor_client, url)),
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    tenure.refresh_from_db()
    assert str(tenure.end) == "Sep 2004"


def test_a_bad_date_gets_a_clear_message(demo, editor_client):
    tenure = andersons_presidency()
    url = admin_url(Tenure, "change", tenure.pk)
    response = editor_client.post(
        url,
        tenure_form(
            tenure,
            end="Sept 2004",
            change_reason="typo",
            record_version=opened_version(editor_client, url),
        ),
    )
    assert response.status_code == 200
    assert (
        "&#x27;Sept 2004&#x27; is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
        in response.content.decode()
    )


def test_an_overlapping_second_president_is_refused_naming_the_sitting_one(demo, editor_client):
    newcomer = Person.objects.create(name="Jane Doe")
    data = tenure_form(
        Tenure(
            person=newcomer,
            company=Company.objects.get(slug="innovo-group"),
            role=Role.objects.get(slug="president"),
            start=None,
        ),
        start="2005-01",
        title="President",
    )
    response = editor_client.post(admin_url(Tenure, "add"), data)
    assert response.status_code == 200
    assert (
        "Marc B. Crossman, President at Innovo Group Inc. (8 Sep 2004 –)"
        in response.content.decode()
    )
    assert not Tenure.objects.filter(person=newcomer).exists()


def test_inline_changes_carry_the_reason_into_their_own_history(demo, editor, editor_client):
    furrow = Person.objects.get(slug="samuel-j-furrow-jr")
    names = list(furrow.other_names.all())
    tenures = list(furrow.tenures.all())
    url = admin_url(Person, "change", furrow.pk)
    data = {
        "record_version": opened_version(editor_client, url),
        "name": furrow.name,
        "sort_name": furrow.sort_name,
        "slug": furrow.slug,
        "notes": "",
        "change_reason": "EDGAR lists him as FURROW SAMUEL J JR",
        "other_names-TOTAL_FORMS": len(names) + 1,
        "other_names-INITIAL_FORMS": len(names),
        "tenures-TOTAL_FORMS": len(tenures),
        "tenures-INITIAL_FORMS": len(tenures),
    }
    for i, name in enumerate(names):
        data.update(
            {
                f"other_names-{i}-id": name.pk,
                f"other_names-{i}-person": furrow.pk,
                f"other_names-{i}-name": name.name,
                f"other_names-{i}-kind": name.kind,
                f"other_names-{i}-note": name.note,
            }
        )
    data.update(
        {
            f"other_names-{len(names)}-person": furrow.pk,
            f"other_names-{len(names)}-name": "FURROW SAMUEL J JR",
            f"other_names-{len(names)}-kind": "as_filed",
        }
    )
    for i, t in enumerate(tenures):
        data.update(
            {
                f"tenures-{i}-id": t.pk,
                f"tenures-{i}-person": furrow.pk,
                f"tenures-{i}-company": t.company_id,
                f"tenures-{i}-role": t.role_id,
                f"tenures-{i}-title": t.title,
                f"tenures-{i}-start": "",
                f"tenures-{i}-end": "",
                f"tenures-{i}-end_reason": "",
                f"tenures-{i}-predecessor": "",
            }
        )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    added = OtherName.history.get(name="FURROW SAMUEL J JR")
    assert (added.history_user, added.history_change_reason) == (
        editor,
        "EDGAR lists him as FURROW SAMUEL J JR",
    )


def test_admin_search_matches_other_names(demo, editor_client):
    response = editor_client.get(admin_url(Person, "changelist"), {"q": "jay furrow"})
    assert "Samuel J. Furrow, Jr." in response.content.decode()
    response = editor_client.get(admin_url(Tenure, "changelist"), {"q": "Jay Furrow"})
    assert "Chief Executive Officer" in response.content.decode()


@pytest.mark.parametrize("status, expected", [("current", 3), ("ended", 2), ("other", 2)])
def test_tenures_filter_by_status(demo, editor_client, status, expected):
    response = editor_client.get(admin_url(Tenure, "changelist"), {"status": status})
    assert response.context["cl"].result_count == expected


def test_autocomplete_finds_a_person_by_another_name(demo, editor_client):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "jay", "app_label": "governance", "model_name": "tenure", "field_name": "person"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Samuel J. Furrow, Jr."]


def test_an_edit_can_be_reverted_from_history_with_a_reason(demo, editor, editor_client):
    tenure = andersons_presidency()
    original = tenure.history.latest()
    url = admin_url(Tenure, "change", tenure.pk)
    edit = editor_client.post(
        url,
        tenure_form(
            tenure,
            end="2004-09-07",
            change_reason="8-K filed 8 Sep 2004",
            record_version=opened_version(editor_client, url),
        ),
    )
    assert edit.status_code == 302
    assert str(Tenure.objects.get(pk=tenure.pk).end) == "7 Sep 2004"
    revert_url = reverse(
        "admin:governance_tenure_simple_history", args=[tenure.pk, original.history_id]
    )
    assert editor_client.get(revert_url).status_code == 200
    response = editor_client.post(
        revert_url, tenure_form(tenure, change_reason="Back to the filing's words")
    )
    assert response.status_code == 302, response.content.decode()
    tenure.refresh_from_db()
    assert str(tenure.end) == "Sep 2004"
    assert tenure.history.latest().history_change_reason == "Back to the filing's words"


def test_attested_days_added_together_are_checked_together(demo, editor_client):
    # Each day alone is a one-day hand-over; together they make two certain months that
    # overlap Furrow's CEO tenure. Checked one by one they passed: saved on SQLite, a 500 on
    # PostgreSQL (the exclusion constraint).
    newcomer = Tenure.objects.create(
        person=Person.objects.create(name="Jane Doe"),
        company=Company.objects.get(slug="innovo-group"),
        role=Role.objects.get(slug="ceo"),
    )
    url = admin_url(Tenure, "change", newcomer.pk)
    data = admin_form_data(editor_client.get(url), change_reason="Seen in two filings")
    data["attestations-TOTAL_FORMS"] = 2
    for index, day in enumerate(["2003-05-01", "2003-06-01"]):
        data[f"attestations-{index}-tenure"] = newcomer.pk
        data[f"attestations-{index}-day"] = day
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Samuel J. Furrow, Jr., Chief Executive Officer" in response.content.decode()
    assert not newcomer.attestations.exists()


@pytest.mark.parametrize("model", [Person, Tenure, Company, Source], ids=lambda m: m.__name__)
def test_a_search_with_a_nul_character_is_refused_rather_than_failing(demo, editor_client, model):
    # records.middleware answers any admin address holding a NUL (tests/test_fuzz_admin.py).
    response = editor_client.get(admin_url(model, "changelist"), {"q": "furrow\x00"})
    assert response.status_code == 400


def test_the_derived_days_read_like_the_pages_dates(demo, editor_client):
    tenure = Tenure.objects.get(
        person__slug="pat-anderson", role__slug="president", start="1990-07"
    )
    html = editor_client.get(reverse("admin:governance_tenure_change", args=[tenure.pk])).content
    assert (
        "Certainly: 31 Jul 1990 to 1 Sep 2004. Possibly: 1 Jul 1990 to 8 Sep 2004." in html.decode()
    )


def test_admin_pages_carry_the_admin_styles_and_the_favicon(demo, editor_client):
    html = editor_client.get(reverse("admin:governance_tenure_changelist")).content.decode()
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_the_admins_own_dates_read_like_the_pages(demo, editor_client):
    import re

    tenure = Tenure.objects.filter(person__slug="pat-anderson").first()
    html = editor_client.get(
        reverse("admin:governance_tenure_history", args=[tenure.pk])
    ).content.decode()
    # Django's default was "Nov. 26, 2026, 4:49 p.m.".
    assert re.search(r"<td>\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC</td>", html)
    assert "p.m." not in html and "a.m." not in html
