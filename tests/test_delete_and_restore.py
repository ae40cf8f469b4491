import re

import pytest
from django.urls import reverse

from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    Source,
    SourceParty,
    Tenure,
)
from people.models import OtherName, Person
from records.deletion import deletions

RECORD_MODELS = [
    Person,
    OtherName,
    Company,
    FormerName,
    Founder,
    Source,
    SourceParty,
    Tenure,
    Citation,
    Attestation,
]


def snapshot() -> dict:
    """Every row of the record, every column (derived interval columns included)."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in RECORD_MODELS}


def delete_in_admin(client, obj, reason="Duplicate entry"):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    return client.post(url, {"post": "yes", "change_reason": reason})


def crossman_presidency() -> Tenure:
    return Tenure.objects.get(person__slug="marc-b-crossman", role__slug="president")


@pytest.mark.django_db
class TestDeletingInTheAdmin:
    def test_the_confirmation_page_lists_what_else_changes(self, demo, editor_client):
        anderson = Person.objects.get(slug="pat-anderson")
        url = reverse("admin:people_person_delete", args=[anderson.pk])
        response = editor_client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Deleted with it" in page
        assert "Jul 1990 – Sep 2004" in page  # her presidency goes with her
        modified = page.split('id="modified-objects"')[1]
        assert "Marc B. Crossman, President at Innovo Group Inc. (8 Sep 2004 –)" in modified
        assert "predecessor" in modified
        assert 'name="change_reason"' in page

    def test_a_deletion_without_reason_is_refused_with_a_message(self, demo, editor_client):
        anderson = Person.objects.get(slug="pat-anderson")
        response = delete_in_admin(editor_client, anderson, reason="  ")
        assert response.status_code == 302
        assert Person.objects.filter(pk=anderson.pk).exists()
        page = editor_client.get(response.url).content.decode()
        assert "Say why this record is deleted" in page

    def test_the_successor_gets_its_own_history_row(self, demo, editor_client, editor):
        anderson = Person.objects.get(slug="pat-anderson")
        response = delete_in_admin(editor_client, anderson, reason="Entered twice")
        assert response.status_code == 302
        assert not Person.objects.filter(pk=anderson.pk).exists()
        successor = crossman_presidency()
        assert successor.predecessor is None
        row = successor.history.first()
        assert row.history_type == "~"
        assert row.history_user == editor
        assert row.history_change_reason == (
            "Cleared predecessor because person “Pat Anderson” was deleted: Entered twice"
        )

    def test_its_history_is_kept_with_the_reason(self, demo, editor_client, editor):
        anderson = Person.objects.get(slug="pat-anderson")
        delete_in_admin(editor_client, anderson, reason="Entered twice")
        row = Person.history.filter(id=anderson.pk).first()
        assert row.history_type == "-"
        assert row.history_change_reason == "Entered twice"
        assert row.history_user == editor
        assert Person.history.filter(id=anderson.pk).count() == 2
        tenure_rows = Tenure.history.filter(person_id=anderson.pk, history_type="-")
        assert tenure_rows.count() == 3
        assert all(r.history_date == row.history_date for r in tenure_rows)

    def test_deleting_a_source_clears_attestations_by_save(self, demo, editor_client):
        note = Source.objects.get(exhibit="10.97")
        attestation = Attestation.objects.get(source=note)
        delete_in_admin(editor_client, note, reason="Wrong document")
        attestation.refresh_from_db()
        assert attestation.source is None
        assert attestation.history.first().history_change_reason.startswith(
            "Cleared source because source"
        )

    def test_a_deletion_that_would_duplicate_a_cleared_record_is_refused_saying_why(
        self, demo, editor_client
    ):
        note = Source.objects.get(exhibit="10.97")
        sourced = Attestation.objects.get(source=note)
        Attestation.objects.create(
            tenure=sourced.tenure, day=sourced.day
        )  # the same day, unsourced
        before = snapshot()
        response = delete_in_admin(editor_client, note, reason="Wrong document")
        assert response.status_code == 302
        assert Source.objects.filter(pk=note.pk).exists()
        assert snapshot() == before
        page = editor_client.get(response["Location"]).content.decode()
        assert "would then duplicate another record" in page
        assert (
            "Samuel J. Furrow, Jr., Chief Executive Officer at Innovo Group Inc. on 7 Feb 2003"
            in page
        )

    def test_bulk_deletion_is_not_offered(self, demo, editor_client):
        page = editor_client.get(reverse("admin:people_person_changelist")).content.decode()
        assert "delete_selected" not in page


@pytest.mark.django_db
class TestRestoring:
    def test_deleting_and_restoring_anderson_leaves_the_record_exactly_as_before(
        self, demo, editor_client
    ):
        before = snapshot()
        anderson = Person.objects.get(slug="pat-anderson")
        delete_in_admin(editor_client, anderson, reason="Testing restore")
        assert snapshot() != before

        page = editor_client.get(reverse("deleted_records"))
        assert page.status_code == 200
        assert "Pat Anderson" in page.content.decode()
        # The pages' date style: "26 Nov 2026, 11:15 UTC".
        assert re.search(
            r">\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC</time>", page.content.decode()
        )
        (event,) = deletions()
        assert "Testing restore" in event.reasons
        response = editor_client.post(reverse("restore_deletion"), {"deletion": event.key})
        assert response.status_code == 302

        assert snapshot() == before
        assert crossman_presidency().predecessor.person.name == "Pat Anderson"
        restored = Person.objects.get(pk=anderson.pk).history.first()
        assert restored.history_change_reason.startswith("Restored person “Pat Anderson”")
        assert restored.history_type == "+"

    def test_a_restored_deletion_cannot_be_restored_twice(self, demo, editor_client):
        delete_in_admin(editor_client, Person.objects.get(slug="pat-anderson"))
        key = deletions()[0].key
        editor_client.post(reverse("restore_deletion"), {"deletion": key})
        editor_client.post(reverse("restore_deletion"), {"deletion": key})
        assert Person.objects.filter(slug="pat-anderson").count() == 1

    def test_deleting_and_restoring_the_company_and_a_tenure(self, demo, editor_client):
        before = snapshot()
        delete_in_admin(editor_client, Company.objects.get(slug="innovo-group"))
        # Its subsidiaries lost their parent, each with a history row.
        assert not Company.objects.filter(parent__isnull=False).exists()
        editor_client.post(reverse("restore_deletion"), {"deletion": deletions()[0].key})
        assert snapshot() == before
        delete_in_admin(editor_client, Tenure.objects.get(role__slug="ceo"))
        editor_client.post(reverse("restore_deletion"), {"deletion": deletions()[0].key})
        assert snapshot() == before

    def test_only_a_superuser_restores(self, demo, client, django_user_model):
        staff = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
        client.force_login(staff)
        assert client.get(reverse("deleted_records")).status_code == 200
        assert client.post(reverse("restore_deletion"), {"deletion": "x"}).status_code == 403

    def test_anonymous_users_are_sent_to_log_in(self, client):
        assert client.get(reverse("deleted_records")).status_code == 302

    def test_a_bad_deletion_moment_is_a_400(self, editor_client):
        response = editor_client.post(reverse("restore_deletion"), {"deletion": "nonsense"})
        assert response.status_code == 400

    @pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"])
    def test_a_moment_outside_the_years_in_utc_is_a_400(self, editor_client, moment):
        # Valid as written, out of range once in UTC: SQLite's adapter raised OverflowError.
        response = editor_client.post(reverse("restore_deletion"), {"deletion": moment})
        assert response.status_code == 400


@pytest.mark.django_db
def test_a_restore_that_needs_a_deleted_parent_says_so(demo, editor_client):
    cfo = Tenure.objects.get(role__slug="cfo")
    delete_in_admin(editor_client, cfo, reason="First")
    tenure_deletion = deletions()[0].key
    delete_in_admin(editor_client, Person.objects.get(slug="marc-b-crossman"), reason="Second")
    response = editor_client.post(
        reverse("restore_deletion"), {"deletion": tenure_deletion}, follow=True
    )
    assert "restore it first" in response.content.decode()
    assert "Marc B. Crossman" in response.content.decode()
    assert not Tenure.objects.filter(pk=cfo.pk).exists()


@pytest.mark.django_db
def test_an_inline_deletion_clears_references_with_history(demo, editor_client):
    from tests.admin_forms import admin_form_data

    anderson = Person.objects.get(slug="pat-anderson")
    url = reverse("admin:people_person_change", args=[anderson.pk])
    form = admin_form_data(editor_client.get(url))
    president = Tenure.objects.get(person=anderson, role__slug="president", start="1990-07")
    index = next(
        key.split("-")[1]
        for key, value in form.items()
        if key.startswith("tenures-") and key.endswith("-id") and str(value) == str(president.pk)
    )
    form[f"tenures-{index}-DELETE"] = "on"
    form["change_reason"] = "Presidency entered in error"
    response = editor_client.post(url, form)
    assert response.status_code == 302
    successor = crossman_presidency()
    assert successor.predecessor is None
    assert "Presidency entered in error" in successor.history.first().history_change_reason


@pytest.mark.django_db
def test_a_restore_that_would_duplicate_a_record_entered_since_says_so(demo, editor_client):
    anderson = Person.objects.get(slug="pat-anderson")
    delete_in_admin(editor_client, anderson, reason="Entered twice")
    # Entered again since: the new record took the slug the deleted one had.
    Person.objects.create(name="Pat Anderson")
    response = editor_client.post(
        reverse("restore_deletion"), {"deletion": deletions()[0].key}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cannot restore" in text and "person “Pat Anderson”" in text
    assert not Person.objects.filter(pk=anderson.pk).exists()
    assert not Tenure.objects.filter(person_id=anderson.pk).exists()
