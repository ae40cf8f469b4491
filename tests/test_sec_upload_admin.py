"""The SEC filings import in the admin (Sources → Import SEC filings): upload of files or a zip,
the preview job, confirm, the result, and what happens to the upload.

Tasks run at once here (tests/conftest.py), so each job has ended when its page first loads.
"""

import datetime
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from governance import jobs
from governance.models import AppliedFiling, Company, ImportJob, Source, Tenure
from governance.models.imports import upload_root
from governance.sec import jobs as sec_jobs
from people.models import Person
from tests.csv_helpers import history_count
from tests.sec_helpers import FIXTURES, ownership_xml

IMPORT_URL = reverse("admin:governance_source_import")
FILINGS = sorted(path for path in FIXTURES.iterdir() if path.suffix in (".xml", ".txt"))


def fixture_files() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(path.name, path.read_bytes()) for path in FILINGS]


def fixtures_zip(name="filings.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in FILINGS:
            archive.write(path, f"2024/{path.name}")
    return SimpleUploadedFile(name, buffer.getvalue())


def job_url(job, step=""):
    return reverse(f"admin:governance_source_import_{step or 'job'}", kwargs={"job_id": job.pk})


def upload(client, files):
    return client.post(IMPORT_URL, {"filings": files})


def previewed(client, files) -> ImportJob:
    response = upload(client, files)
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = ImportJob.objects.filter(dry_run=True).latest("enqueued_at")
    assert response["Location"] == job_url(job)
    return job


def uploads() -> list[Path]:
    return sorted(upload_root().iterdir()) if upload_root().exists() else []


def staff_user(username, *permissions):
    user = get_user_model().objects.create_user(username, password="pass", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def importer(db):
    """Staff with exactly the permissions the import needs, and no more."""
    return staff_user("importer", *sec_jobs.IMPORT_PERMISSIONS)


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


def test_the_source_list_and_the_admin_index_link_to_it(editor_client):
    assert IMPORT_URL in editor_client.get(reverse("admin:governance_source_changelist")).text
    assert IMPORT_URL in editor_client.get(reverse("admin:index")).text


def test_the_upload_page_asks_for_one_or_many_files(importer_client):
    page = importer_client.get(IMPORT_URL).text
    assert 'type="file"' in page and "multiple" in page and 'accept=".xml,.txt,.zip"' in page
    assert "50.0\xa0MB" in page


def test_the_preview_shows_what_would_be_applied_and_writes_nothing(importer_client, importer):
    before = history_count()
    job = previewed(importer_client, fixture_files())
    page = importer_client.get(job_url(job)).text
    assert "7 files read;\n  7 filings would be applied" in page
    assert '<th scope="row">Companies created</th><td>2</td>' in page
    assert '<th scope="row">Persons created</th><td>6</td>' in page
    assert '<th scope="row">Tenures created</th><td>13</td>' in page
    assert '<th scope="row">Attested days added</th><td>14</td>' in page
    assert "Owners skipped (1)" in page
    assert "SUMMIT RIDGE CAPITAL PARTNERS LP (CIK 0000990301): an entity, not a person" in page
    assert "names a former role" in page
    # Paths as uploaded, never the server's folder.
    assert "<code>0000990001-24-000103.xml</code>" in page and str(upload_root()) not in page
    assert "Confirm import" in page and 'http-equiv="refresh"' not in page
    assert history_count() == before and not Tenure.objects.exists()
    assert not AppliedFiling.objects.exists()
    assert (job.kind, job.dry_run, job.submitted_by) == ("sec_filings", True, importer)
    assert job.filename == "0000990001-24-000101.xml and 6 more files"
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done) == ("done", 7, 7)


def test_confirm_imports_with_the_submitter_in_history_and_removes_the_upload(
    importer_client, importer
):
    preview = previewed(importer_client, fixture_files())
    folder = preview.upload.folder
    response = importer_client.post(job_url(preview, "confirm"))
    job = ImportJob.objects.get(preview=preview)
    assert response["Location"] == job_url(job)
    page = importer_client.get(job_url(job)).text
    assert "7 filings were applied" in page and "Confirm import" not in page
    assert Tenure.objects.count() == 13 and Source.objects.count() == 7
    record = Person.objects.get(cik="0000990201").history.earliest()
    assert record.history_user == importer
    assert record.history_change_reason.startswith("Imported from SEC Form")
    assert (job.kind, job.dry_run, job.status) == ("sec_filings", False, "done")
    assert not folder.exists()
    # The preview is spent: a second confirm leads to the same import.
    assert importer_client.post(job_url(preview, "confirm"))["Location"] == job_url(job)
    assert ImportJob.objects.count() == 2


def test_a_zip_of_filings_is_read_member_by_member(importer_client):
    job = previewed(importer_client, [fixtures_zip()])
    page = importer_client.get(job_url(job)).text
    assert "7 files read;\n  7 filings would be applied" in page
    assert "<code>filings.zip!2024/0000990001-24-000103.xml</code>" in page
    job.refresh_from_db()
    assert job.rows_total == 7
    importer_client.post(job_url(job, "confirm"))
    assert Tenure.objects.count() == 13


def test_a_second_upload_of_the_same_filings_has_nothing_to_confirm(importer_client):
    preview = previewed(importer_client, fixture_files())
    importer_client.post(job_url(preview, "confirm"))
    before = history_count()
    again = previewed(importer_client, [fixtures_zip()])
    page = importer_client.get(job_url(again)).text
    assert "0 filings would be applied" in page and "7 already imported" in page
    assert "Nothing to import" in page and "Confirm import" not in page
    assert "Upload another file" in page
    assert not again.upload.folder.exists()
    assert importer_client.post(job_url(again, "confirm"))["Location"] == IMPORT_URL
    assert history_count() == before
    assert not ImportJob.objects.filter(preview=again).exists()


def test_a_malformed_file_is_listed_and_the_others_still_apply(importer_client):
    bad = SimpleUploadedFile("0000990009-24-000001.xml", b"this is not XML")
    bomb = SimpleUploadedFile(
        "0000990009-24-000002.xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ownershipDocument/>',
    )
    good = SimpleUploadedFile("0000990009-24-000003.xml", ownership_xml())
    job = previewed(importer_client, [bad, bomb, good])
    page = importer_client.get(job_url(job)).text
    assert "Files not applicable (2)" in page
    assert "<code>0000990009-24-000001.xml</code>" in page
    assert "<code>0000990009-24-000002.xml</code>" in page
    assert "1 filing would be applied" in page and "Confirm import" in page
    importer_client.post(job_url(job, "confirm"))
    done = ImportJob.objects.get(preview=job)
    assert done.result["counts"]["filings_applied"] == 1
    assert [row["path"] for row in done.result["failed"]] == [bad.name, bomb.name]
    assert list(AppliedFiling.objects.values_list("accession_number", flat=True)) == [
        "0000990009-24-000003"
    ]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notes.pdf", b"%PDF-1.4", "notes.pdf: not an .xml, .txt or .zip file."),
        ("filings.zip", b"not a zip", "filings.zip: not a readable zip archive"),
    ],
)
def test_a_file_the_import_could_never_read_is_refused_at_once(
    importer_client, name, data, message
):
    response = upload(importer_client, [SimpleUploadedFile(name, data)])
    assert response.status_code == 200 and message in response.text
    assert not ImportJob.objects.exists() and uploads() == []


def test_a_zip_past_the_limits_is_refused_at_once(importer_client, monkeypatch):
    monkeypatch.setattr("governance.sec.files.MAX_ZIP_MEMBERS", 3)
    response = upload(importer_client, [fixtures_zip()])
    assert "filings.zip: a zip of 7 files: more than the 3 allowed, so none is read." in (
        response.text
    )
    assert not ImportJob.objects.exists() and uploads() == []


def test_an_upload_without_files_is_asked_again(importer_client):
    response = importer_client.post(IMPORT_URL, {})
    assert "Choose one or more filings (.xml, .txt) or a .zip." in response.text
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_size_limit_is_refused_with_a_message(importer_client, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 4000
    files = fixture_files()
    assert sum(file.size for file in files) > 4000
    response = upload(importer_client, files)
    assert response.status_code == 200
    assert "The upload is larger than the 3.9\xa0KB allowed" in response.text
    assert not ImportJob.objects.exists() and uploads() == []


def test_uploads_are_private_each_in_a_folder_named_by_its_preview(importer_client):
    job = previewed(importer_client, [*fixture_files(), fixtures_zip()])
    folder = job.upload.folder
    assert folder.parent == upload_root() and folder.name == str(job.pk)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(job.upload_path).stat().st_mode) == 0o700
    kept = sorted(Path(job.upload_path).iterdir())
    assert [path.name for path in kept] == sorted([path.name for path in FILINGS] + ["filings.zip"])
    assert {stat.S_IMODE(path.stat().st_mode) for path in kept} == {0o600}


def test_an_uploaded_name_cannot_leave_its_folder():
    taken = set()
    assert sec_jobs.safe_name("../../etc/passwd.xml", taken) == "passwd.xml"
    assert sec_jobs.safe_name("..\\..\\passwd.XML", taken) == "passwd-2.xml"
    assert sec_jobs.safe_name("a b;$(rm).txt", taken) == "a_b_rm.txt"
    assert sec_jobs.safe_name("....xml", taken) == "file.xml"


def test_cancel_removes_the_upload(importer_client):
    preview = previewed(importer_client, fixture_files())
    assert importer_client.post(job_url(preview, "cancel"))["Location"] == IMPORT_URL
    assert not preview.upload.folder.exists()
    assert "no longer kept" in importer_client.get(job_url(preview)).text
    assert importer_client.post(job_url(preview, "confirm"))["Location"] == IMPORT_URL
    assert not Tenure.objects.exists()


def test_a_job_that_fails_removes_its_upload(importer_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sec_jobs, "import_filings", broken)
    response = upload(importer_client, fixture_files())
    job = ImportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert job.status == "failed" and "unexpected error" in job.failure
    assert uploads() == []


def test_a_preview_that_expires_loses_its_upload(importer_client):
    preview = previewed(importer_client, fixture_files())
    assert jobs.expire_upload.call(str(preview.pk)) == "removed"
    assert not preview.upload.folder.exists()
    assert "no longer kept" in importer_client.get(job_url(preview)).text


def test_expiry_spares_an_upload_an_import_is_reading(importer_client, importer):
    preview = previewed(importer_client, fixture_files())
    ImportJob.objects.create(
        kind="sec_filings",
        submitted_by=importer,
        filename=preview.filename,
        upload_path=preview.upload_path,
        dry_run=False,
        preview=preview,
        status="running",
    )
    assert jobs.expire_upload.call(str(preview.pk)).startswith("its import is under way")
    assert preview.upload.folder.exists()


def test_a_preview_schedules_its_uploads_removal_on_the_database_queue(importer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job_id, upload = jobs.new_upload()
    preview = ImportJob.objects.create(
        id=job_id,
        kind="sec_filings",
        submitted_by=importer,
        filename="f.xml",
        upload_path=upload.folder / "filings",
        dry_run=True,
    )
    jobs.schedule_expiry(preview)
    task = DBTaskResult.objects.get(task_path="governance.jobs.expire_upload")
    assert task.args_kwargs["args"] == [str(preview.pk)]
    expected = timezone.now() + settings.IMPORT_UPLOAD_MAX_AGE
    assert abs(task.run_after - expected) < datetime.timedelta(minutes=2)


def test_cleanup_uploads_removes_what_no_job_will_read(importer_client, settings, capsys):
    preview = previewed(importer_client, fixture_files())
    long_ago = (timezone.now() - settings.IMPORT_UPLOAD_MAX_AGE).timestamp() - 60
    os.utime(preview.upload.folder, (long_ago, long_ago))
    call_command("cleanup_uploads")
    assert "1 upload folder removed." in capsys.readouterr().out
    assert uploads() == []


def test_a_user_without_every_permission_is_refused(client, db):
    for missing in ("people.add_person", "governance.add_company", "governance.add_source"):
        granted = [p for p in sec_jobs.IMPORT_PERMISSIONS if p != missing]
        client.force_login(staff_user(f"lacks-{missing}", *granted))
        assert client.get(IMPORT_URL).status_code == 403
        assert upload(client, fixture_files()).status_code == 403
    assert not ImportJob.objects.exists() and uploads() == []


def test_the_job_checks_the_permissions_again_when_it_runs(importer_client, importer):
    preview = previewed(importer_client, fixture_files())
    importer.user_permissions.remove(Permission.objects.get(codename="add_person"))
    importer = get_user_model().objects.get(pk=importer.pk)
    assert importer_client.post(job_url(preview, "confirm")).status_code == 403
    # A job queued before the change refuses when it runs.
    job = sec_jobs.submit_import(
        importer, filename=preview.filename, upload_path=preview.upload_path, dry_run=False
    )
    assert job.status == "failed"
    assert "may no longer import SEC filings (it needs: people.add_person)" in job.failure
    assert not Person.objects.exists() and not Company.objects.exists()
    assert not preview.upload.folder.exists()


def test_a_job_is_shown_only_to_its_submitter_on_its_kinds_pages(importer, editor_client):
    preview = previewed(editor_client, fixture_files())
    csv_url = reverse("admin:governance_tenure_import_job", kwargs={"job_id": preview.pk})
    assert editor_client.get(csv_url).status_code == 404
    other = Client()
    other.force_login(importer)
    assert other.get(job_url(preview)).status_code == 404
    assert other.post(job_url(preview, "confirm")).status_code == 404
    assert other.post(job_url(preview, "cancel")).status_code == 404
    assert preview.upload.folder.exists() and not Tenure.objects.exists()
