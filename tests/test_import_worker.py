"""A real worker process runs the admin's import jobs from the database queue (PostgreSQL)."""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from governance.models import ImportJob, Tenure
from tests.csv_helpers import tenure_csv
from tests.sec_helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 30
QUEUE_IN_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    """The URL of the database this test runs on, pytest-django's test_<name>."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def start_worker(upload_dir: Path, log: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "IMPORT_UPLOAD_DIR": str(upload_dir),
    }
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_until_finished(job: ImportJob, worker: subprocess.Popen, log: Path) -> ImportJob:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        assert worker.poll() is None, f"the worker stopped:\n{log.read_text()}"
        time.sleep(0.2)
    raise AssertionError(f"{job} not finished in {WAIT_SECONDS} s; worker log:\n{log.read_text()}")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker, another process, cannot see the tests' in-memory SQLite database; "
    "run with DATABASE_URL=postgres://… for this test",
)
# Not in a transaction (the worker must see the job); the role catalogue, seeded by a
# migration, is put back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_runs_the_preview_and_then_the_import(client, settings, tmp_path):
    settings.TASKS = QUEUE_IN_DATABASE
    # As in tests/browser/conftest.py: after a browser test, the catalogue may not be back yet.
    importlib.import_module("governance.migrations.0002_role_catalogue").create_roles(apps, None)
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pass")
    client.force_login(user)
    text = tenure_csv(
        "Ann Example,Acme Corp,director,,2004,,,,", "Bo Example,Acme Corp,ceo,,2005,,,,"
    )
    response = client.post(
        reverse("admin:governance_tenure_import"),
        {"file": SimpleUploadedFile("acme.csv", text.encode())},
    )
    preview = ImportJob.objects.get()
    assert response["Location"].endswith(f"/import/{preview.pk}/")
    # Queued, not run: no worker yet.
    assert (preview.status, preview.task_id != "") == ("queued", True)
    assert "Waiting for a worker" in client.get(response["Location"]).content.decode()

    log = tmp_path / "worker.log"
    worker = start_worker(tmp_path / "imports", log)
    try:
        preview = wait_until_finished(preview, worker, log)
        assert preview.status == "done", preview.failure
        assert preview.result["counts"]["create"] == 2, preview.result
        assert not Tenure.objects.exists()
        response = client.post(response["Location"] + "confirm/")
        job = wait_until_finished(ImportJob.objects.get(preview=preview), worker, log)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    assert job.status == "done", job.failure
    assert job.rows_done == job.rows_total == 2
    held = Tenure.objects.order_by("person__name").values_list("person__name", "role__slug")
    assert list(held) == [("Ann Example", "director"), ("Bo Example", "ceo")]
    assert Tenure.objects.get(person__name="Ann Example").history.get().history_user == user
    assert not Path(job.upload_path).parent.exists()
    assert "2 tenures were created" in client.get(response["Location"]).content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker, another process, cannot see the tests' in-memory SQLite database; "
    "run with DATABASE_URL=postgres://… for this test",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_imports_uploaded_sec_filings_and_schedules_their_expiry(
    client, settings, tmp_path
):
    settings.TASKS = QUEUE_IN_DATABASE
    importlib.import_module("governance.migrations.0002_role_catalogue").create_roles(apps, None)
    importlib.import_module("governance.migrations.0009_sec_roles").add_roles(apps, None)
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pass")
    client.force_login(user)
    filings = [
        SimpleUploadedFile(path.name, path.read_bytes())
        for path in sorted(FIXTURES.iterdir())
        if path.suffix in (".xml", ".txt")
    ]
    response = client.post(reverse("admin:governance_source_import"), {"filings": filings})
    preview = ImportJob.objects.get()
    assert response["Location"].endswith(f"/import/{preview.pk}/")

    log = tmp_path / "worker.log"
    worker = start_worker(tmp_path / "imports", log)
    try:
        preview = wait_until_finished(preview, worker, log)
        assert preview.status == "done", preview.failure
        assert preview.result["counts"]["filings_applied"] == 7, preview.result
        # The preview's end queued its upload's removal for when it expires, and no sooner.
        expiry = DBTaskResult.objects.get(task_path="governance.jobs.expire_upload")
        assert expiry.args_kwargs["args"] == [str(preview.pk)]
        assert expiry.run_after > preview.finished_at + settings.IMPORT_UPLOAD_MAX_AGE
        assert not Tenure.objects.exists() and preview.upload.folder.is_dir()
        client.post(response["Location"] + "confirm/")
        job = wait_until_finished(ImportJob.objects.get(preview=preview), worker, log)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    assert job.status == "done", job.failure
    assert job.rows_done == job.rows_total == 7
    assert Tenure.objects.count() == 13
    assert not preview.upload.folder.exists()
    expiry.refresh_from_db()
    assert expiry.status == "READY"  # not yet due; when it runs, it finds nothing to remove


def test_compose_runs_the_worker_beside_the_app_sharing_the_uploads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app, worker = compose["services"]["app"], compose["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert worker["build"] == app["build"]
    assert worker["environment"] == app["environment"]
    uploads = app["environment"]["IMPORT_UPLOAD_DIR"]
    assert f"imports:{uploads}" in app["volumes"] and f"imports:{uploads}" in worker["volumes"]
    assert "imports" in compose["volumes"]
