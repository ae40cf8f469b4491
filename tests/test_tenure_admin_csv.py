"""The tenure CSV admin: export action, and the import's upload, preview job, confirm, result.

Tasks run at once here (tests/conftest.py), so each job has ended when its page first loads;
tests/test_import_worker.py runs one through a real worker process.
"""

import datetime
import os
import stat
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance import jobs
from governance.csv import jobs as csv_jobs
from governance.models import ImportJob, Tenure
from governance.models.imports import upload_root
from tests.csv_helpers import export_text, history_count, tenure_csv

IMPORT_URL = reverse("admin:governance_tenure_import")
NEW_ROW = "New Person,Innovo Group Inc.,director,,2010,,,,,,,,,,,,,\r\n"


def upload(client, text, name="tenures.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, text.encode())})


def job_url(job, step=""):
    name = f"admin:governance_tenure_import_{step or 'job'}"
    return reverse(name, kwargs={"job_id": job.pk})


def uploaded_job(client, text, name="tenures.csv") -> ImportJob:
    response = upload(client, text, name)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == job_url(job)
    return job


def save_upload(chunks) -> Path:
    """A CSV upload kept as the upload page keeps one, for a job made by hand."""
    _, folder = jobs.new_upload()
    return folder.write(csv_jobs.UPLOAD_NAME, chunks)


def staff_user(username, *codenames):
    user = get_user_model().objects.create_user(username, password="pass", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def importer(db):
    """Staff who may import: add and change tenures, add what they name, nothing more."""
    return staff_user(
        "importer",
        "add_tenure",
        "change_tenure",
        "view_tenure",
        "add_person",
        "add_company",
        "add_source",
        "add_citation",
        "add_attestation",
    )


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


def test_the_changelist_links_to_import_and_export(editor_client, demo):
    page = editor_client.get(reverse("admin:governance_tenure_changelist")).content.decode()
    assert IMPORT_URL in page and "/export/tenures.csv" in page


def test_the_import_page_asks_for_a_file(editor_client):
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_an_upload_without_a_file_is_asked_again(editor_client):
    response = editor_client.post(IMPORT_URL, {})
    assert "Choose a CSV file to upload." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_preview_shows_what_would_change_and_changes_nothing(editor_client, editor, demo):
    text = export_text() + NEW_ROW
    before = (Tenure.objects.count(), history_count())
    job = uploaded_job(editor_client, text)
    page = editor_client.get(job_url(job)).content.decode()
    assert "1 tenure would be created" in page
    assert "New Person, Director at Innovo Group Inc." in page
    assert "Confirm import" in page
    assert 'http-equiv="refresh"' not in page
    assert (Tenure.objects.count(), history_count()) == before
    assert job.submitted_by == editor and job.dry_run and job.filename == "tenures.csv"
    job.refresh_from_db()
    rows = len(text.splitlines()) - 1
    assert (job.status, job.rows_total, job.rows_done) == ("done", rows, rows)
    assert job.result["counts"] == {"create": 1, "update": 0, "unchanged": rows - 1}
    assert job.started_at and job.finished_at and job.task_id


def test_confirm_writes_with_the_submitter_in_history(importer_client, importer, demo):
    preview = uploaded_job(importer_client, export_text() + NEW_ROW, name="board-2010.csv")
    response = importer_client.post(job_url(preview, "confirm"))
    job = ImportJob.objects.get(preview=preview)
    assert response.status_code == 302 and response["Location"] == job_url(job)
    page = importer_client.get(job_url(job)).content.decode()
    assert "1 tenure was created" in page and "Confirm import" not in page
    tenure = Tenure.objects.get(person__name="New Person")
    record = tenure.history.get()
    assert record.history_user == importer
    assert record.history_change_reason == "Imported from board-2010.csv"
    assert (job.dry_run, job.status, job.submitted_by) == (False, "done", importer)
    # The import removed the upload, and the preview is spent: a second confirm writes nothing
    # more and leads to the same import.
    assert not Path(preview.upload_path).parent.exists()
    response = importer_client.post(job_url(preview, "confirm"))
    assert response["Location"] == job_url(job)
    assert Tenure.objects.filter(person__name="New Person").count() == 1
    assert ImportJob.objects.count() == 2
    assert "This preview was confirmed" in importer_client.get(job_url(preview)).content.decode()


def test_errors_are_listed_and_there_is_nothing_to_confirm(editor_client, db):
    job = uploaded_job(editor_client, tenure_csv("Ann,Acme,king,,Sept 2004,,,,"))
    page = editor_client.get(job_url(job)).content.decode()
    assert "unknown role" in page and "is not a date" in page
    assert "<td>2</td><td>role</td><td><code>king</code></td>" in page
    assert "Confirm import" not in page
    assert not Path(job.upload_path).parent.exists()
    response = editor_client.post(job_url(job, "confirm"))
    assert response["Location"] == IMPORT_URL
    assert not Tenure.objects.exists()
    assert ImportJob.objects.count() == 1


def test_an_unreadable_cell_is_named_and_stored(editor_client, db):
    text = tenure_csv("Ann\x00,Acme,director,,2004,,,,")
    job = uploaded_job(editor_client, text)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["errors"][0]["column"] == "person"
    assert "NUL" in editor_client.get(job_url(job)).content.decode()


def test_an_unknown_job_is_a_404(editor_client, db):
    response = editor_client.get(reverse("admin:governance_tenure_import_job", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_another_user_can_neither_see_nor_confirm_nor_cancel_a_job(
    editor_client, importer, client, demo
):
    job = uploaded_job(editor_client, export_text() + NEW_ROW)
    client.force_login(importer)
    assert client.get(job_url(job)).status_code == 404
    assert client.post(job_url(job, "confirm")).status_code == 404
    assert client.post(job_url(job, "cancel")).status_code == 404
    assert job.filename not in client.get(IMPORT_URL).content.decode()
    assert not Tenure.objects.filter(person__name="New Person").exists()
    assert ImportJob.objects.count() == 1
    assert Path(job.upload_path).is_file()


def test_a_user_without_the_permissions_is_refused(client, demo):
    client.force_login(staff_user("viewer", "view_tenure", "change_tenure"))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, export_text() + NEW_ROW).status_code == 403
    assert not ImportJob.objects.exists()
    assert not upload_root().exists() or not any(upload_root().iterdir())


@pytest.mark.parametrize("missing", ["add_person", "add_company", "add_source"])
def test_a_user_who_may_not_add_what_an_import_creates_is_refused(client, demo, missing):
    granted = [
        "add_tenure", "change_tenure", "add_person", "add_company", "add_source",
        "add_citation", "add_attestation",
    ]  # fmt: skip
    client.force_login(staff_user("lacks", *[name for name in granted if name != missing]))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, export_text() + NEW_ROW).status_code == 403
    assert not ImportJob.objects.exists()


def test_a_job_checks_the_permissions_again_when_it_runs(importer_client, importer, demo):
    preview = uploaded_job(importer_client, export_text() + NEW_ROW)
    importer.user_permissions.remove(Permission.objects.get(codename="add_tenure"))
    importer = get_user_model().objects.get(pk=importer.pk)
    # The confirm page refuses at once; a job queued before the change refuses when it runs.
    assert importer_client.post(job_url(preview, "confirm")).status_code == 403
    job = csv_jobs.submit_import(
        importer, filename=preview.filename, upload_path=preview.upload_path, dry_run=False
    )
    assert job.status == "failed"
    assert "may no longer import tenures" in job.failure
    assert not Tenure.objects.filter(person__name="New Person").exists()
    assert not Path(job.upload_path).exists()


def test_cancel_removes_the_upload_and_the_preview_cannot_be_confirmed(editor_client, demo):
    preview = uploaded_job(editor_client, export_text() + NEW_ROW)
    response = editor_client.post(job_url(preview, "cancel"))
    assert response["Location"] == IMPORT_URL
    assert not Path(preview.upload_path).parent.exists()
    page = editor_client.get(job_url(preview)).content.decode()
    assert "Confirm import" not in page and "no longer kept" in page
    assert editor_client.post(job_url(preview, "confirm"))["Location"] == IMPORT_URL
    assert not Tenure.objects.filter(person__name="New Person").exists()


def test_the_cancel_and_confirm_pages_take_only_posts(editor_client, demo):
    preview = uploaded_job(editor_client, export_text() + NEW_ROW)
    assert editor_client.get(job_url(preview, "confirm")).status_code == 405
    assert editor_client.get(job_url(preview, "cancel")).status_code == 405
    assert Path(preview.upload_path).is_file()


def test_uploads_are_private_each_in_its_own_folder(editor_client, demo):
    first = uploaded_job(editor_client, export_text() + NEW_ROW)
    second = save_upload([b"person\r\n"])
    folder = Path(first.upload_path).parent
    assert folder.parent == upload_root() and second.parent != folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(first.upload_path).stat().st_mode) == 0o600
    assert Path(first.upload_path).read_bytes() == (export_text() + NEW_ROW).encode()


def test_the_page_refreshes_itself_and_shows_progress_until_the_job_ends(editor_client, editor):
    upload_path = save_upload([b"header\r\n"])
    job = ImportJob.objects.create(
        submitted_by=editor, filename="big.csv", upload_path=upload_path, dry_run=True
    )
    page = editor_client.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for a worker" in page
    job.start(rows_total=12_000)
    jobs.ProgressFile(jobs.progress_path(job))(4_500)
    page = editor_client.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "4,500 of 12,000 rows read" in page
    assert '<progress max="12000" value="4500">' in page
    assert "<script" not in page.split("</head>")[1]
    job.fail("The uploaded file is gone (it was cancelled or expired); upload it again.")
    page = editor_client.get(job_url(job)).content.decode()
    assert 'http-equiv="refresh"' not in page and "The uploaded file is gone" in page


def test_the_import_page_lists_the_users_latest_jobs(editor_client, demo):
    job = uploaded_job(editor_client, export_text() + NEW_ROW, name="board.csv")
    page = editor_client.get(IMPORT_URL).content.decode()
    assert job_url(job) in page and "board.csv" in page and "1 tenure would be created" in page


def test_a_job_removes_uploads_left_for_a_day(editor_client, editor, demo, settings):
    abandoned = save_upload([b"old"])
    queued = save_upload([b"waiting"])
    cut_off = save_upload([b"its worker was killed"])
    ImportJob.objects.create(
        submitted_by=editor, filename="queued.csv", upload_path=queued, dry_run=True
    )
    long_ago = timezone.now() - settings.IMPORT_UPLOAD_MAX_AGE - datetime.timedelta(minutes=1)
    killed = ImportJob.objects.create(
        submitted_by=editor,
        filename="killed.csv",
        upload_path=cut_off,
        dry_run=False,
        status="running",
        enqueued_at=long_ago,
        started_at=long_ago,
    )
    for folder in (abandoned.parent, queued.parent, cut_off.parent):
        os.utime(folder, (long_ago.timestamp(), long_ago.timestamp()))
    upload(editor_client, export_text() + NEW_ROW)
    assert not abandoned.parent.exists() and not cut_off.parent.exists()
    assert queued.is_file()
    killed.refresh_from_db()
    assert (killed.status, killed.failure) == ("failed", jobs.STOPPED)


def test_a_worker_told_to_stop_mid_job_marks_it_failed(editor, demo, monkeypatch):
    def stopped(file, **options):
        file.read(10)
        raise SystemExit(1)

    upload_path = save_upload([(export_text() + NEW_ROW).encode()])
    job = ImportJob.objects.create(
        submitted_by=editor, filename="t.csv", upload_path=upload_path, dry_run=False
    )
    monkeypatch.setattr(csv_jobs, "import_tenures", stopped)
    with pytest.raises(SystemExit):
        csv_jobs.run_import_job.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", jobs.STOPPED)
    assert not upload_path.parent.exists()


def test_the_page_lists_the_first_rows_that_change_and_counts_the_rest(
    editor_client, demo, monkeypatch
):
    monkeypatch.setattr(csv_jobs, "ACTIONS_SHOWN", 1)
    text = export_text() + NEW_ROW + NEW_ROW.replace("New Person", "Other Person")
    job = uploaded_job(editor_client, text)
    page = editor_client.get(job_url(job)).content.decode()
    assert "2 tenures would be created" in page
    assert "New Person, Director" in page and "Other Person, Director" not in page
    assert "… and 1 more row that creates or changes a tenure." in page


def test_the_action_exports_the_selected_tenures(editor_client, demo):
    selected = Tenure.objects.filter(person__slug="pat-anderson")
    response = editor_client.post(
        reverse("admin:governance_tenure_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [t.pk for t in selected]},
    )
    assert response.status_code == 200
    assert "tenures-selected-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    assert text == export_text(selected)
    assert len(text.splitlines()) == 4


def test_the_import_page_needs_staff(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_preview_with_nothing_to_change_says_so_and_offers_no_confirm(editor_client, demo):
    before = history_count()
    job = uploaded_job(editor_client, export_text())
    page = editor_client.get(job_url(job)).content.decode()
    rows = len(export_text().splitlines()) - 1
    assert f"{rows} rows: 0 tenures would be created, 0 would be changed, {rows} unchanged." in page
    assert "Nothing to import: every row matches the record already" in page
    assert "Confirm import" not in page and "Cancel" not in page
    assert reverse("admin:governance_tenure_changelist") in page and "Upload another file" in page
    assert not job.upload.folder.exists()
    assert editor_client.post(job_url(job, "confirm"))["Location"] == IMPORT_URL
    assert history_count() == before and ImportJob.objects.count() == 1


def test_the_preview_counts_in_words_that_agree_with_their_numbers(editor_client, db):
    job = uploaded_job(editor_client, tenure_csv("Ann Example,Acme Corp,director,,2004,,,,"))
    page = editor_client.get(job_url(job)).content.decode()
    assert "1 row: 1 tenure would be created, 0 would be changed, 0 unchanged." in page
    editor_client.post(job_url(job, "confirm"))
    done = ImportJob.objects.get(preview=job)
    assert "1 row: 1 tenure was created, 0 were changed, 0 unchanged." in (
        editor_client.get(job_url(done)).content.decode()
    )


def test_an_upload_over_the_size_limit_is_refused_with_a_message(editor_client, demo, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 200
    text = export_text() + NEW_ROW
    assert len(text.encode()) > 200
    response = upload(editor_client, text)
    assert response.status_code == 200
    assert "The upload is larger than the 200\xa0bytes allowed" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not upload_root().exists() or not any(upload_root().iterdir())


def test_an_upload_is_kept_in_a_folder_named_by_its_preview(editor_client, demo):
    job = uploaded_job(editor_client, export_text() + NEW_ROW)
    assert Path(job.upload_path) == upload_root() / str(job.pk) / csv_jobs.UPLOAD_NAME
