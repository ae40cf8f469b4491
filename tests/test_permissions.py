"""Who may do what: the groups, a viewer's admin, the import's permissions (the matrix of
every write path is tests/test_permission_matrix.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from governance.csv.jobs import IMPORT_PERMISSIONS
from governance.models import ImportJob, Tenure
from governance.permissions import (
    EDITOR_PERMISSIONS,
    EDITORS,
    VIEWER_PERMISSIONS,
    VIEWERS,
    import_permissions_missing,
    sync_groups,
)
from people.models import Person
from tests.csv_helpers import export_text
from tests.permissions import (
    ADMIN_MODELS,
    ALLOWED,
    IMPORT_URL,
    NEW_ROW,
    admin_url,
    make_user,
    registered_models,
)


def client_of(member: str) -> Client:
    client = Client()
    if member != "anonymous":
        client.force_login(make_user(member))
    return client


def test_the_registry_covers_every_model_in_the_admin():
    # A model registered later joins the matrix by a line in ADMIN_MODELS.
    assert {spec.model for spec in ADMIN_MODELS} == registered_models()


# The groups.


def test_the_groups_hold_exactly_their_permissions(db):
    for name, wanted in [(EDITORS, EDITOR_PERMISSIONS), (VIEWERS, VIEWER_PERMISSIONS)]:
        group = Group.objects.get(name=name)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == wanted


def test_editors_delete_only_the_rows_inside_a_record(db):
    deletions = {perm for perm in EDITOR_PERMISSIONS if ".delete_" in perm}
    assert deletions == {
        "people.delete_othername",
        "governance.delete_formername",
        "governance.delete_founder",
        "governance.delete_citation",
        "governance.delete_attestation",
        "governance.delete_sourceparty",
        "governance.delete_transactionparty",
        "governance.delete_transactionsource",
    }
    assert not any("role" in perm for perm in EDITOR_PERMISSIONS - {"governance.view_role"})
    assert not any(perm.startswith("auth.") for perm in EDITOR_PERMISSIONS)


def test_the_groups_come_back_on_a_fresh_database(db):
    Group.objects.all().delete()
    Permission.objects.all().delete()
    # What `migrate` ends with on a new database: post_migrate.
    call_command("migrate", verbosity=0)
    assert Group.objects.get(name=EDITORS).permissions.count() == len(EDITOR_PERMISSIONS)
    assert Group.objects.get(name=VIEWERS).permissions.count() == len(VIEWER_PERMISSIONS)


def test_a_group_changed_by_hand_is_set_back_by_the_next_migrate(db):
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.add(Permission.objects.get(codename="delete_tenure"))
    sync_groups()
    assert not editors.permissions.filter(codename="delete_tenure").exists()


# Viewers read the whole admin without an error.


@pytest.mark.parametrize("spec", ADMIN_MODELS, ids=lambda spec: spec.model._meta.label_lower)
def test_a_viewer_reads_every_admin_page_of_the_record(demo, spec):
    viewer = client_of("viewer")
    obj = spec.make()
    may_view = spec.edit["editor"] == ALLOWED or spec.model._meta.model_name == "role"
    pages = [
        admin_url(spec.model, "changelist"),
        admin_url(spec.model, "change", obj.pk),
        admin_url(spec.model, "history", obj.pk),
    ]
    for url in pages:
        response = viewer.get(url)
        assert response.status_code == (200 if may_view else 403), url
    assert viewer.get(admin_url(spec.model, "add")).status_code == 403
    assert viewer.get("/admin/").status_code == 200


def test_a_viewer_sees_a_record_without_the_reason_box(demo):
    # It was a 500: RecordAdmin.change_reason() missing 1 required positional argument.
    viewer = client_of("viewer")
    for record in [Tenure.objects.first(), Person.objects.first()]:
        response = viewer.get(admin_url(type(record), "change", record.pk))
        assert response.status_code == 200
        assert "Reason for this change" not in response.content.decode()


def test_a_viewer_reads_an_earlier_version_but_cannot_revert_to_it(demo):
    viewer = client_of("viewer")
    tenure = Tenure.objects.first()
    url = admin_url(type(tenure), "simple_history", tenure.pk, tenure.history.earliest().pk)
    response = viewer.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


# The CSV import: every kind of record it may write.


def test_an_import_needs_every_kind_of_record_it_may_write(demo):
    user = make_user("staff")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_importjob", "add_tenure", "change_tenure", "view_tenure"]
        )
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert import_permissions_missing(user, IMPORT_PERMISSIONS) == [
        "add people",
        "add companies",
        "add sources",
        "add citations",
        "add attestations",
    ]


def test_an_import_by_someone_who_may_not_add_persons_is_refused_before_anything_is_stored(
    demo,
):
    # It was allowed: the import checked only the tenure permissions, and created the persons,
    # companies and sources its rows named.
    user = make_user("staff")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_importjob", "add_tenure", "change_tenure", "view_tenure"]
        )
    )
    client = Client()
    client.force_login(user)
    csv_file = SimpleUploadedFile("t.csv", (export_text() + NEW_ROW).encode())
    response = client.post(IMPORT_URL, {"file": csv_file})
    assert response.status_code == 403
    assert "may not import tenures: it needs the permission to add people" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not Person.objects.filter(name="Newly Imported").exists()


# /deleted/ in the navigation.


@pytest.mark.parametrize("member", ["viewer", "editor", "superuser", "staff"])
def test_admin_users_find_deleted_records_in_the_navigation(demo, member):
    client = client_of(member)
    assert '<a href="/deleted/">Deleted</a>' in client.get("/").content.decode()
    assert client.get("/deleted/").status_code == 200


def test_anonymous_readers_get_no_link_to_deleted_records(demo, client, settings):
    settings.PAGE_CACHE = True
    assert "/deleted/" not in client.get("/").content.decode()
    # Nor from the page cache, after a staff user's visit.
    client_of("editor").get("/")
    assert "/deleted/" not in client.get("/").content.decode()
    assert client.get("/deleted/")["Location"].startswith("/admin/login/")


def test_an_editor_gets_no_revert_button_on_a_deleted_record(demo):
    editor = client_of("editor")
    person = Person.objects.create(name="Dana Test", slug="dana-test")
    url = admin_url(Person, "simple_history", person.pk, person.history.earliest().pk)
    assert b'name="_save"' in editor.get(url).content
    person.delete()
    response = editor.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
