import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.history.versions import last_changes
from governance.models import Company, Source, Tenure
from people.models import Person
from tests.admin_forms import edit_in_admin


def last_change(instance):
    return last_changes([instance]).get((type(instance), instance.pk))


REASON = "8-K filed 8 Sep 2004"


def anderson_president() -> Tenure:
    return Tenure.objects.get(person__slug="pat-anderson", role__slug="president", start="1990-07")


def tenure_admin_url(tenure: Tenure) -> str:
    return reverse("admin:governance_tenure_change", args=[tenure.pk])


def history_page(client, kind, pk, **params):
    return client.get(reverse("record_history", args=[kind, pk]), params)


@pytest.mark.django_db
class TestAfterAnAdminEdit:
    def test_it_shows_the_diff_the_user_and_the_reason(self, demo, editor_client):
        tenure = anderson_president()
        response = edit_in_admin(
            editor_client, tenure_admin_url(tenure), end="2004-09-07", change_reason=REASON
        )
        assert response.status_code == 302, response.content.decode()
        page = history_page(editor_client, "tenure", tenure.pk).content.decode()
        first = page.split('class="history-entry"')[1]
        assert "Changed" in first
        assert "Erin Editor" in first
        assert REASON in first
        assert "Sep 2004</td>" in first and "→ 7 Sep 2004</td>" in first
        assert "Title" not in first  # only what changed

    def test_the_reason_is_stored_in_history(self, demo, editor_client, editor):
        tenure = anderson_president()
        edit_in_admin(
            editor_client, tenure_admin_url(tenure), end="2004-09-07", change_reason=REASON
        )
        row = tenure.history.first()
        assert (row.history_change_reason, row.history_user, row.history_type) == (
            REASON,
            editor,
            "~",
        )

    def test_an_edit_without_a_reason_is_refused(self, demo, editor_client):
        tenure = anderson_president()
        response = edit_in_admin(
            editor_client, tenure_admin_url(tenure), end="2004-09-07", change_reason=""
        )
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        assert str(Tenure.objects.get(pk=tenure.pk).end) == "Sep 2004"

    def test_inline_changes_carry_the_reason(self, demo, editor_client):
        tenure = Tenure.objects.get(role__slug="ceo")
        response = edit_in_admin(
            editor_client,
            tenure_admin_url(tenure),
            change_reason="Second exhibit read again",
            **{"attestations-0-DELETE": "on"},
        )
        assert response.status_code == 302
        removed = tenure.attestations.model.history.filter(history_type="-").get()
        assert removed.history_change_reason.endswith("Second exhibit read again")
        page = history_page(editor_client, "tenure", tenure.pk).content.decode()
        first = page.split('class="history-entry"')[1]
        assert "Removed attestation" in first
        assert "Second exhibit read again" in first

    def test_foreign_keys_are_shown_by_name(self, demo, editor_client):
        crossman = Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")
        page = history_page(editor_client, "tenure", crossman.pk).content.decode()
        assert "Pat Anderson, President at Innovo Group Inc. (Jul 1990 – Sep 2004)" in page
        assert "Marc B. Crossman</td>" in page


@pytest.mark.django_db
class TestACompanysHistory:
    def test_it_lists_tenures_added_and_removed(self, demo, client):
        group = Company.objects.get(slug="innovo-group")
        cfo = Tenure.objects.get(role__slug="cfo")
        cfo._change_reason = "Entered in error"
        cfo.delete()
        page = history_page(client, "company", group.pk).content.decode()
        first = page.split('class="history-entry"')[1]
        assert "Removed tenure" in first
        assert "Marc B. Crossman, Chief Financial Officer at Innovo Group Inc." in first
        assert "Entered in error" in first
        assert "Added tenure" in page

    def test_a_deleted_records_history_remains(self, demo, client):
        cfo = Tenure.objects.get(role__slug="cfo")
        pk = cfo.pk
        cfo.delete()
        response = history_page(client, "tenure", pk)
        assert response.status_code == 200
        assert "has been deleted" in response.content.decode()

    def test_it_is_paginated_with_a_fixed_number_of_queries(self, demo, client):
        person = Person.objects.get(slug="pat-anderson")
        for n in range(30):
            person.notes = f"Note {n}"
            person._change_reason = f"Edit {n}"
            person.save()
        with CaptureQueriesContext(connection) as first_page:
            response = history_page(client, "person", person.pk)
        assert response.content.decode().count('class="history-entry"') == 25
        assert "Edit 29" in response.content.decode()
        second = history_page(client, "person", person.pk, page=2).content.decode()
        assert "Edit 0" in second
        assert "Note 4</td>" in second  # the diff reaches back across the page boundary
        person.notes = "more"
        person._change_reason = "more"
        person.save()
        with CaptureQueriesContext(connection) as again:
            history_page(client, "person", person.pk)
        assert len(again) == len(first_page)


@pytest.mark.django_db
class TestBadRequests:
    def test_an_unknown_kind_is_a_404_with_a_message(self, demo, client):
        response = history_page(client, "role", 1)
        assert response.status_code == 404
        assert "There is no history of “role”" in response.content.decode()

    def test_an_unknown_record_is_a_404(self, demo, client):
        assert history_page(client, "person", 999999).status_code == 404
        assert history_page(client, "person", 2**70).status_code == 404

    @pytest.mark.parametrize(
        "page, status", [("x", 400), ("0", 400), ("99", 404), ("-1", 400), ("²", 400)]
    )
    def test_a_bad_page_is_refused_with_a_message(self, demo, client, page, status):
        source = Source.objects.first()
        response = history_page(client, "source", source.pk, page=page)
        assert response.status_code == status
        assert b"page" in response.content


@pytest.mark.django_db
class TestLastChanged:
    def test_it_says_when_by_whom_and_why(self, demo, editor_client, editor):
        tenure = anderson_president()
        edit_in_admin(
            editor_client, tenure_admin_url(tenure), end="2004-09-07", change_reason=REASON
        )
        change = last_change(tenure)
        assert (change.user, change.reason) == ("Erin Editor", REASON)
        assert change.history_url == reverse("record_history", args=["tenure", tenure.pk])

    def test_it_takes_one_query_per_model_for_many_records(self, demo):
        tenures = list(Tenure.objects.all())
        with CaptureQueriesContext(connection) as queries:
            found = last_changes(tenures)
        assert len(queries) == 1
        assert len(found) == len(tenures)
        assert all(t.last_change.reason for t in tenures)

    def test_the_snippet_renders_it(self, demo):
        from django.template.loader import render_to_string

        person = Person.objects.get(slug="pat-anderson")
        html = render_to_string("snippets/last_changed.html", {"change": last_change(person)})
        assert "Last changed" in html and "UTC" in html and "history</a>" in html


def test_a_tenure_history_is_titled_by_the_live_tenure_and_links_to_it(client, demo):
    from governance.models import Tenure

    tenure = Tenure.objects.get(person__slug="pat-anderson", company__slug="innovo-inc")
    html = client.get(f"/history/tenure/{tenure.pk}/").content.decode()
    assert "Pat Anderson, President at Innovo, Inc. (attested 8 Sep 2004)" in html
    assert "(? –)" not in html
    assert f'href="/companies/innovo-inc/#tenure-{tenure.pk}"' in html
