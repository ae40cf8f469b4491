"""Tenure imports as background jobs: the private upload folders, the task a worker runs, and
the progress it reports.

A job runs `import_tenures` on an upload: first as a preview (a dry run), then, once its
submitter confirms, for real. The task queue is django-tasks (settings.TASKS); the job's own
state, progress and result are an `ImportJob` row, which the admin's pages read.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from governance.csv.tenure_import import import_tenures
from governance.models import ImportJob
from governance.permissions import CSV_IMPORT, import_permissions_missing, refusal

UPLOAD_NAME = "upload.csv"
# Rows that create or change a tenure kept for the page; the rest are counted.
ACTIONS_SHOWN = 1000
STOPPED = "The worker was stopped during the job; nothing was written. Upload the file again."
# Seconds between two progress reports: the page refreshes every two.
PROGRESS_EVERY = 0.5
# JSON in PostgreSQL holds neither NUL nor a lone surrogate (an undecodable byte); a cell
# naming one still shows where it was.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def missing_permissions(user) -> list[str]:
    """What `user` lacks to import tenures (every kind of record the import may write), in
    words; checked on upload, on confirm, and again by the job when it runs."""
    return import_permissions_missing(user, CSV_IMPORT)


def may_import(user) -> bool:
    return not missing_permissions(user)


def storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", text)


# The upload folders.


def upload_root() -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR)


def save_upload(chunks: Iterable[bytes]) -> Path:
    """Write an upload to a new folder of its own, readable by this user only (0700, 0600)."""
    root = upload_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root))  # mode 0700
    path = folder / UPLOAD_NAME
    with _create_private(path) as file:
        for chunk in chunks:
            file.write(chunk)
    return path


def _create_private(path: Path):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _upload_folder(upload_path: str) -> Path | None:
    """The upload's own folder, if it is one: never the root, never anything outside it."""
    folder = Path(upload_path).parent
    if folder.resolve().parent != upload_root().resolve():
        return None
    return folder


def upload_exists(job: ImportJob) -> bool:
    return _upload_folder(job.upload_path) is not None and Path(job.upload_path).is_file()


def remove_upload(job: ImportJob) -> None:
    if (folder := _upload_folder(job.upload_path)) is not None:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_uploads() -> int:
    """Remove the upload folders untouched for IMPORT_UPLOAD_MAX_AGE that no recent queued or
    running job reads: previews nobody confirmed or cancelled. Every job ends with this sweep."""
    cutoff = timezone.now() - settings.IMPORT_UPLOAD_MAX_AGE
    # A job running that long lost its worker (killed outright): it will never end by itself.
    ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=cutoff).update(
        status=ImportJob.Status.FAILED, failure=STOPPED, finished_at=timezone.now()
    )
    root = upload_root()
    if not root.is_dir():
        return 0
    in_use = {
        Path(path).parent.name
        for path in ImportJob.objects.unfinished()
        .filter(enqueued_at__gte=cutoff)
        .values_list("upload_path", flat=True)
    }
    removed = 0
    for folder in root.iterdir():
        if (
            folder.is_dir()
            and folder.name not in in_use
            and folder.stat().st_mtime < cutoff.timestamp()
        ):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


# Progress: the import runs in one transaction, which would hide (and, for a preview, roll
# back) any progress written to the job's row; so the worker writes it to a file beside the
# upload, which the web processes read.


def progress_path(job: ImportJob) -> Path:
    return Path(job.upload_path).parent / f"progress-{job.pk}"


class ProgressFile:
    def __init__(self, path: Path):
        self.path = path
        self.reported_at = 0.0

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.reported_at < PROGRESS_EVERY:
            return
        self.reported_at = now
        partial = self.path.with_name(self.path.name + ".partial")
        partial.unlink(missing_ok=True)
        with _create_private(partial) as file:
            file.write(str(rows).encode())
        os.replace(partial, self.path)


def rows_read(job: ImportJob) -> int:
    """Rows the job has read: reported by the worker while it runs, stored when it ends."""
    if job.status != ImportJob.Status.RUNNING:
        return job.rows_done
    try:
        return int(progress_path(job).read_text())
    except (OSError, ValueError):
        return 0


def count_rows(path: Path) -> int | None:
    """Rows after the header that hold anything, as the import counts them; None when the
    file is not CSV enough to count (the import then says why)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as text:
            records = csv.reader(text)
            next(records, None)
            return sum(1 for cells in records if cells)
    except csv.Error:
        return None


# Submitting and running.


def submit_import(
    user, *, filename: str, upload_path: Path | str, dry_run: bool, preview: ImportJob | None = None
) -> ImportJob:
    """Record a job and queue its task, together: a job is never left without its task."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            submitted_by=user,
            filename=storable(filename)[:255],
            upload_path=str(upload_path),
            dry_run=dry_run,
            preview=preview,
        )
        # The immediate backend (the tests') runs the task right here.
        queued = run_import_job.enqueue(str(job.pk))
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


@task()
def run_import_job(job_id: str) -> str:
    job = ImportJob.objects.select_related("submitted_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return "skipped: not a queued job"
    try:
        _run(job)
    finally:
        progress_path(job).unlink(missing_ok=True)
        if not (job.dry_run and job.ok):
            # Nothing left to confirm: the import ran, or the preview found errors or failed.
            remove_upload(job)
        remove_stale_uploads()
    return job.status


def _run(job: ImportJob) -> None:
    if missing := missing_permissions(job.submitted_by):
        job.fail(
            f"{refusal(job.submitted_by, missing, 'may no longer import tenures')} "
            "Nothing was written."
        )
        return
    upload = Path(job.upload_path)
    if not upload_exists(job):
        job.fail("The uploaded file is gone (it was cancelled or expired); upload it again.")
        return
    job.start(count_rows(upload))
    try:
        with upload.open("rb") as file:
            result = import_tenures(
                file,
                filename=job.filename,
                user=job.submitted_by,
                dry_run=job.dry_run,
                progress=ProgressFile(progress_path(job)),
            )
    except Exception:
        job.fail("The import stopped on an unexpected error; nothing was written.")
        raise
    except BaseException:
        # The worker was told twice to stop (SystemExit), or interrupted: the import's
        # transaction is rolled back; say so rather than leave the job running forever.
        job.fail(
            "The worker was stopped during the job; nothing was written. Upload the file again."
        )
        raise
    job.finish(result_data(result))


def result_data(result) -> dict:
    """An ImportResult as JSON for the job's row: what the admin's page shows."""
    changing = [row for row in result.actions if row.action != "unchanged"]
    # The batched importer keeps the first rows that change something, and counts the rest.
    left_out = getattr(result, "actions_left_out", 0) + max(len(changing) - ACTIONS_SHOWN, 0)
    return {
        "summary": result.summary(),
        "rows": result.rows,
        "counts": {action: result.count(action) for action in ("create", "update", "unchanged")},
        "errors": [
            {
                "line": error.line,
                "column": storable(error.column),
                "value": storable(error.value),
                "reason": storable(error.reason),
            }
            for error in result.errors
        ],
        "actions": [
            {
                "line": row.line,
                "action": row.action,
                "tenure": storable(row.tenure),
                "changes": [storable(change) for change in row.changes],
            }
            for row in changing[:ACTIONS_SHOWN]
        ],
        "actions_left_out": left_out,
    }
