"""The registry of write paths, for the permission matrix (tests/test_permissions.py).

Each path is a `WritePath`: a name, an `attempt` that performs it as a client would (preparing
what it needs with the superuser's client first) and says whether it took effect, and who may
take it. The matrix runs every path as every member of the cast:

    anonymous   no login
    viewer      staff, in the Viewers group
    editor      staff, in the Editors group
    superuser
    staff       staff with no group and no permission

and expects, for each, ALLOWED (done), FORBIDDEN (a 403, nothing done), LOGIN (sent to the
login page, nothing done) or REFUSED (answered, but nothing done: an action nobody has).

A write path added later is covered by adding one line to PATHS (or, for a model registered in
the admin, one line to ADMIN_MODELS: its add, change and delete pages then join the matrix).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import MultiWidget
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from governance import jobs
from governance.csv import jobs as csv_jobs
from governance.csv.format import TENURE_COLUMNS
from governance.models import (
    Attestation,
    Citation,
    Company,
    FormerName,
    Founder,
    ImportJob,
    Role,
    Source,
    SourceParty,
    Tenure,
    Transaction,
)
from governance.models.partial_date import PartialDate
from governance.permissions import EDITORS, VIEWERS
from governance.sec import jobs as sec_jobs
from people.models import OtherName, Person
from records.deletion import deletions
from tests.csv_helpers import export_text
from tests.sec_helpers import FIXTURES

ALLOWED, FORBIDDEN, LOGIN, REFUSED = "allowed", "403", "login", "refused"
CAST = ("anonymous", "viewer", "editor", "superuser", "staff")


def expect(**outcomes: str) -> dict[str, str]:
    """Who may: the named members get their outcome; the others are sent to log in
    (anonymous) or refused with a 403."""
    return {"anonymous": LOGIN, "viewer": FORBIDDEN, "editor": FORBIDDEN,
            "superuser": FORBIDDEN, "staff": FORBIDDEN, **outcomes}  # fmt: skip


PUBLIC = dict.fromkeys(CAST, ALLOWED)
EDITORS_AND_SUPERUSERS = expect(editor=ALLOWED, superuser=ALLOWED)
SUPERUSERS = expect(superuser=ALLOWED)
NOBODY = expect()
READERS = expect(viewer=ALLOWED, editor=ALLOWED, superuser=ALLOWED)

Attempt = Callable[[Client, Client], tuple[HttpResponse, bool]]


@dataclass(frozen=True)
class WritePath:
    name: str
    attempt: Attempt  # (client under test, superuser's client) -> (response, took effect)
    expected: dict[str, str] = field(repr=False)


def make_user(name: str):
    users = get_user_model().objects
    if name == "superuser":
        return users.create_superuser("root", "root@example.com", "root-pass")
    user = users.create_user(name, password=f"{name}-pass", is_staff=True)
    group = {"viewer": VIEWERS, "editor": EDITORS}.get(name)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


# -- the admin's pages for each model -----------------------------------------------------------


def _form_value(bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return value


def form_data(response, **changes) -> dict:
    """The values of an admin form page as a browser would post them, with some changed."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, form_field in form.fields.items():
            value = _form_value(form[name])
            if isinstance(form_field.widget, MultiWidget):  # a date and a time, as two inputs
                parts = form_field.widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{form.add_prefix(name)}_{index}"] = "" if part is None else str(part)
            elif value is not None:
                data[form.add_prefix(name)] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@dataclass(frozen=True)
class AdminModel:
    """How to exercise a model's admin pages: a fresh record of it, the fields that make a
    second one distinct (posted to the add page), one field to change, and who may add and
    change it and who may delete it."""

    model: type
    make: Callable[[], object]
    distinct: Callable[[object], dict]
    change: tuple[str, str]
    edit: dict[str, str]
    delete: dict[str, str]


def _company():
    return Company.objects.get(slug="innovo-group")


def _person():
    return Person.objects.get(slug="marc-b-crossman")


def _source():
    return Source.objects.order_by("pk").first()


def _tenure():
    return Tenure.objects.filter(role__slug="director").order_by("pk").first()


def _new_tenure(start: str = "1977"):
    return Tenure.objects.create(
        person=_person(), company=_company(), role=Role.objects.get(slug="director"),
        title="Director", start=PartialDate.parse(start),
    )  # fmt: skip


ADMIN_MODELS = [
    AdminModel(
        Person,
        lambda: Person.objects.create(name="Dana Test", slug="dana-test"),
        lambda _: {"name": "Dana Added", "slug": "dana-added"},
        ("notes", "Checked."),
        EDITORS_AND_SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        OtherName,
        lambda: OtherName.objects.create(person=_person(), name="M. Test", kind="alias"),
        lambda _: {"name": "M. Added"},
        ("note", "Checked."),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Company,
        lambda: Company.objects.create(name="Test Co", slug="test-co"),
        lambda _: {"name": "Added Co", "slug": "added-co"},
        ("notes", "Checked."),
        EDITORS_AND_SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        FormerName,
        lambda: FormerName.objects.create(company=_company(), name="Old Test Co"),
        lambda _: {"name": "Older Test Co"},
        ("note", "Checked."),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Founder,
        lambda: Founder.objects.create(
            company=Company.objects.create(name="F", slug="f"), person=_person()
        ),  # fmt: skip
        lambda _: {"company": str(Company.objects.create(name="G", slug="g").pk)},
        ("quote", "Founded it."),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Role,
        lambda: Role.objects.create(name="Test Role", slug="test-role", kind="officer"),
        lambda _: {"name": "Added Role", "slug": "added-role"},
        ("name", "Changed Role"),
        SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        Source,
        lambda: Source.objects.create(kind="other", title="Test source"),
        lambda _: {"title": "Added source"},
        ("notes", "Checked."),
        EDITORS_AND_SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        SourceParty,
        lambda: SourceParty.objects.create(source=_source(), company=_company(), part="other"),
        lambda _: {"name_as_written": "Added party"},
        ("name_as_written", "Checked"),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Tenure,
        _new_tenure,
        lambda _: {"start": "1978"},
        ("notes", "Checked."),
        EDITORS_AND_SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        Citation,
        lambda: Citation.objects.create(tenure=_new_tenure(), source=_source()),
        lambda _: {"tenure": str(_new_tenure("1976").pk)},
        ("quote", "Checked."),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Attestation,
        lambda: Attestation.objects.create(tenure=_new_tenure(), day=datetime.date(1977, 5, 1)),
        lambda _: {"day": "1977-06-01"},
        ("quote", "Checked."),
        EDITORS_AND_SUPERUSERS,
        EDITORS_AND_SUPERUSERS,
    ),
    AdminModel(
        Transaction,
        lambda: Transaction.objects.create(company=_company(), kind="loan"),
        lambda _: {"instrument": "Added note"},
        ("notes", "Checked."),
        EDITORS_AND_SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        get_user_model(),
        lambda: get_user_model().objects.create_user("test-user", password="test-pass-123"),
        lambda _: {
            "username": "added-user",
            "password1": "Added-pass-12345",
            "password2": "Added-pass-12345",
        },  # fmt: skip
        ("first_name", "Tess"),
        SUPERUSERS,
        SUPERUSERS,
    ),
    AdminModel(
        Group,
        lambda: Group.objects.create(name="Test group"),
        lambda _: {"name": "Added group"},
        ("name", "Changed group"),
        SUPERUSERS,
        SUPERUSERS,
    ),
]


def _admin_add(spec: AdminModel) -> Attempt:
    def attempt(client, superuser):
        obj = spec.make()
        page = superuser.get(admin_url(spec.model, "change", obj.pk))
        data = form_data(page, **spec.distinct(obj))
        data.pop("change_reason", None)
        before = spec.model._default_manager.count()
        response = client.post(admin_url(spec.model, "add"), data)
        return response, spec.model._default_manager.count() == before + 1

    return attempt


def _admin_change(spec: AdminModel) -> Attempt:
    def attempt(client, superuser):
        obj = spec.make()
        name, value = spec.change
        page = superuser.get(admin_url(spec.model, "change", obj.pk))
        data = form_data(page, **{name: value, "change_reason": "Checked in the matrix"})
        response = client.post(admin_url(spec.model, "change", obj.pk), data)
        obj.refresh_from_db()
        return response, getattr(obj, name) == value

    return attempt


def _admin_delete(spec: AdminModel) -> Attempt:
    def attempt(client, superuser):
        obj = spec.make()
        response = client.post(
            admin_url(spec.model, "delete", obj.pk),
            {"post": "yes", "change_reason": "Wrong, says the matrix"},
        )
        return response, not spec.model._default_manager.filter(pk=obj.pk).exists()

    return attempt


def _delete_selected(spec: AdminModel) -> Attempt:
    """The admin's bulk deletion, which no one has: it would skip the reason."""

    def attempt(client, superuser):
        obj = spec.make()
        response = client.post(
            admin_url(spec.model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        return response, not spec.model._default_manager.filter(pk=obj.pk).exists()

    return attempt


def _admin_paths(spec: AdminModel) -> list[WritePath]:
    label = spec.model._meta.label_lower
    # Our record admins have no bulk deletion: it would skip the reason. Django's user and group
    # admins keep theirs, for superusers.
    refused = {group: REFUSED for group, outcome in READERS.items() if outcome == ALLOWED}
    if spec.model is get_user_model() or spec.model is Group:
        refused = {"superuser": ALLOWED}
    return [
        WritePath(f"admin add {label}", _admin_add(spec), spec.edit),
        WritePath(f"admin change {label}", _admin_change(spec), spec.edit),
        WritePath(f"admin delete {label}", _admin_delete(spec), spec.delete),
        WritePath(f"admin delete_selected {label}", _delete_selected(spec), expect(**refused)),
    ]


# -- history: revert, and the admin's restore of a deleted record --------------------------------


def _history_form(superuser, obj, version_pk) -> dict:
    url = admin_url(type(obj), "simple_history", obj.pk, version_pk)
    page = superuser.get(url)
    return url, form_data(page, change_reason="Reverted in the matrix")


def _admin_revert(client, superuser):
    tenure = _new_tenure()
    first = tenure.history.earliest().pk
    tenure.notes = "A later version."
    tenure.save()
    url, data = _history_form(superuser, tenure, first)
    response = client.post(url, data)
    tenure.refresh_from_db()
    return response, tenure.notes == ""


def _admin_restore(client, superuser):
    person = Person.objects.create(name="Dana Test", slug="dana-test")
    version = person.history.earliest().pk
    url, data = _history_form(superuser, person, version)
    person.delete()
    response = client.post(url, data)
    return response, Person.objects.filter(slug="dana-test").exists()


def _restore(client, superuser):
    person = Person.objects.create(name="Dana Test", slug="dana-test")
    superuser.post(
        admin_url(Person, "delete", person.pk), {"post": "yes", "change_reason": "Matrix"}
    )
    response = client.post(reverse("restore_deletion"), {"deletion": deletions()[0].key})
    return response, Person.objects.filter(slug="dana-test").exists()


# -- the tenure CSV import ----------------------------------------------------------------------

# A row of the export's layout: the person, company, role and start; every other cell empty.
NEW_ROW = (
    ",".join(
        ["Newly Imported", "Innovo Group Inc.", "director", "", "2010"]
        + [""] * (len(TENURE_COLUMNS) - 5)
    )
    + "\r\n"
)
IMPORT_URL = "/admin/governance/tenure/import/"


def _import_upload(client, superuser):
    csv_file = SimpleUploadedFile("tenures.csv", (export_text() + NEW_ROW).encode())
    response = client.post(IMPORT_URL, {"file": csv_file})
    return response, ImportJob.objects.filter(dry_run=True).exists()


def _import_confirm(client, superuser):
    """Confirm a good preview of the user's own (for one who may not import, queued as if the
    permissions were taken away after the preview)."""
    user = client.session.get("_auth_user_id") or superuser.session["_auth_user_id"]
    submitter = get_user_model().objects.get(pk=user)
    job_id, upload = jobs.new_upload()
    path = upload.write(csv_jobs.UPLOAD_NAME, [(export_text() + NEW_ROW).encode()])
    preview = ImportJob.objects.create(
        id=job_id, kind=csv_jobs.TENURE_CSV.kind, submitted_by=submitter, filename="t.csv",
        upload_path=str(path), dry_run=True, status="done",
        result={"errors": [], "changes": 1},
    )  # fmt: skip
    url = reverse("admin:governance_tenure_import_confirm", kwargs={"job_id": preview.pk})
    response = client.post(url)
    return response, Tenure.objects.filter(person__name="Newly Imported").exists()


def _sec_upload(client, superuser):
    filing = sorted(FIXTURES.glob("*.xml"))[0]
    upload = SimpleUploadedFile(filing.name, filing.read_bytes())
    response = client.post(reverse("admin:governance_source_import"), {"filings": [upload]})
    return response, ImportJob.objects.filter(kind=sec_jobs.SEC_FILINGS.kind).exists()


# -- the admin's export action and the public exports --------------------------------------------


def _export_selected(client, superuser):
    response = client.post(
        admin_url(Tenure, "changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [_tenure().pk]},
    )
    return response, response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def _public_get(url: str) -> Attempt:
    def attempt(client, superuser):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, response.status_code == 200 and len(body) > 0

    return attempt


PATHS: list[WritePath] = [
    *(path for spec in ADMIN_MODELS for path in _admin_paths(spec)),
    WritePath("admin revert tenure to an earlier version", _admin_revert, EDITORS_AND_SUPERUSERS),
    WritePath("admin restore deleted person from its history", _admin_restore, SUPERUSERS),
    WritePath("/deleted/ restore", _restore, SUPERUSERS),
    WritePath("CSV import upload", _import_upload, EDITORS_AND_SUPERUSERS),
    WritePath("CSV import confirm", _import_confirm, EDITORS_AND_SUPERUSERS),
    WritePath("SEC filings upload", _sec_upload, EDITORS_AND_SUPERUSERS),
    WritePath("admin action export selected tenures", _export_selected, READERS),
    *(
        WritePath(f"public {url}", _public_get(url), PUBLIC)
        for url in [
            "/export/tenures.csv",
            "/export/people.csv",
            "/export/companies.csv",
            "/export/events.csv",
            "/export/transactions.csv",
        ]
    ),
]


def registered_models() -> set[type]:
    """Every model in the admin but the logs of other apps (task results, read-only for all;
    django-axes' login attempts, superusers only): no group holds a permission on those."""
    return {
        model
        for model in admin.site._registry
        if model is not DBTaskResult and model._meta.app_label != "axes"
    }
