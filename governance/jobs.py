"""Imports as background jobs, whatever they import: the upload's private folder, queueing a job
with its task, running it with its submitter's rights, the progress it reports, and removing
every upload once nothing will read it.

Each import (governance/csv/jobs.py for tenure CSV, governance/sec/jobs.py for SEC filings)
describes itself as an `ImportKind` (the permissions it needs, how to count its work, how to run
it, its task) and its task calls `run_job`. The task queue is django-tasks (settings.TASKS); a
job's own state, progress and result are an `ImportJob` row, which the admin's pages read.

An upload is removed when the job that reads it last ends: the import, or a preview that
found errors or nothing to change, or failed; when its preview is cancelled; and otherwise,
once IMPORT_UPLOAD_MAX_AGE has passed, by the `expire_upload` task each preview schedules
for then (on a queue that can defer a task; the database queue can) and by the sweep every
job ends with and `manage.py cleanup_uploads` runs (`remove_stale_uploads`).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from governance.models import ImportJob
from governance.models.imports import Upload, create_private, upload_root

STOPPED = "The worker was stopped during the job; nothing was written. Upload the file again."
GONE = "The upload is gone (it was cancelled or expired); upload it again."
# Seconds between two progress reports: the page refreshes every two.
PROGRESS_EVERY = 0.5
# An expired upload is removed a minute past its age, so the folder's own age has surely
# passed it too.
EXPIRY_MARGIN = datetime.timedelta(minutes=1)
# JSON in PostgreSQL holds neither NUL nor a lone surrogate (an undecodable byte); a cell
# naming one still shows where it was.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", text)


@dataclass(frozen=True)
class ImportKind:
    """What a kind of import needs to run as a job."""

    kind: ImportJob.Kind
    # Every permission for what the import may create or change; checked on the page, and again
    # when the job runs, as its submitter.
    permissions: tuple[str, ...]
    what: str  # "tenures", "SEC filings": in "… may no longer import {what}"
    count: Callable[[Path], int | None]  # the work in an upload, before it starts
    run: Callable[..., dict]  # run(job, progress=callable) -> the result, as JSON
    task: object  # its django-tasks task, which calls run_job

    def allows(self, user) -> bool:
        return user.is_active and user.is_staff and user.has_perms(self.permissions)


# Submitting.


def new_upload() -> tuple[uuid.UUID, Upload]:
    """An id for the preview, and its upload's folder, named by it."""
    job_id = uuid.uuid4()
    return job_id, Upload.create(job_id)


def submit(
    kind: ImportKind,
    user,
    *,
    filename: str,
    upload_path: Path | str,
    dry_run: bool,
    preview: ImportJob | None = None,
    job_id: uuid.UUID | None = None,
) -> ImportJob:
    """Record a job and queue its task, together: a job is never left without its task."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            id=job_id or uuid.uuid4(),
            kind=kind.kind,
            submitted_by=user,
            filename=storable(filename)[:255],
            upload_path=str(upload_path),
            dry_run=dry_run,
            preview=preview,
        )
        # The immediate backend (the tests') runs the task right here.
        queued = kind.task.enqueue(str(job.pk))
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


# Running.


def run_job(kind: ImportKind, job_id: str) -> str:
    job = ImportJob.objects.select_related("submitted_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return "skipped: not a queued job"
    try:
        _run(kind, job)
    finally:
        progress_path(job).unlink(missing_ok=True)
        if not can_be_confirmed(job):
            # Nothing left to confirm: the import ran, or the preview found errors or nothing
            # to change, or failed.
            job.upload.remove()
        remove_stale_uploads()
    return job.status


def _run(kind: ImportKind, job: ImportJob) -> None:
    user = job.submitted_by
    if not kind.allows(user):
        missing = ", ".join(p for p in kind.permissions if not user.has_perm(p)) or "staff status"
        job.fail(
            f"{user} may no longer import {kind.what} (it needs: {missing}). Nothing was written."
        )
        return
    if not job.upload.exists or not Path(job.upload_path).exists():
        job.fail(GONE)
        return
    try:
        job.start(kind.count(Path(job.upload_path)))
        result = kind.run(job, progress=ProgressFile(progress_path(job)))
    except Exception:
        job.fail("The import stopped on an unexpected error; nothing was written.")
        raise
    except BaseException:
        # The worker was told twice to stop (SystemExit), or interrupted: the import's
        # transaction is rolled back; say so rather than leave the job running forever.
        job.fail(STOPPED)
        raise
    # A preview's expiry is queued with its last state: whoever sees it done sees it queued.
    with transaction.atomic():
        job.finish(result)
        if can_be_confirmed(job):
            schedule_expiry(job)


def can_be_confirmed(job: ImportJob) -> bool:
    """A preview that found something to write and no error, not confirmed yet, whose upload
    is still kept."""
    return (
        job.dry_run
        and job.ok
        and job.has_changes
        and not hasattr(job, "confirmation")
        and job.upload.exists
    )


# Progress: an import runs in transactions, which would hide (and, for a preview, roll back)
# any progress written to the job's row; so the worker writes it to a file beside the upload,
# which the web processes read.


def progress_path(job: ImportJob) -> Path:
    return job.upload.folder / f"progress-{job.pk}"


class ProgressFile:
    def __init__(self, path: Path):
        self.path = path
        self.reported_at = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.reported_at < PROGRESS_EVERY:
            return
        self.reported_at = now
        partial = self.path.with_name(self.path.name + ".partial")
        partial.unlink(missing_ok=True)
        with create_private(partial) as file:
            file.write(str(done).encode())
        os.replace(partial, self.path)


def work_done(job: ImportJob) -> int:
    """Rows (filings) the job has read: reported by the worker while it runs, stored when it
    ends."""
    if job.status != ImportJob.Status.RUNNING:
        return job.rows_done
    try:
        return int(progress_path(job).read_text())
    except (OSError, ValueError):
        return 0


# Removing uploads.


def cancel(preview: ImportJob) -> bool:
    """Remove a preview's upload, unless it was confirmed; whether it was cancelled."""
    if preview.dry_run and not hasattr(preview, "confirmation"):
        preview.upload.remove()
        return True
    return False


def schedule_expiry(preview: ImportJob) -> None:
    """Queue the removal of a preview's upload for when it expires, where the queue can hold a
    task until then (the tests' immediate one cannot: there the sweep does it)."""
    if expire_upload.get_backend().supports_defer:
        expire_upload.using(
            run_after=timezone.now() + settings.IMPORT_UPLOAD_MAX_AGE + EXPIRY_MARGIN
        ).enqueue(str(preview.pk))


@task()
def expire_upload(preview_id: str) -> str:
    """Remove an expired preview's upload unless an import of it is queued or running."""
    preview = ImportJob.objects.filter(pk=preview_id).first()
    if preview is None:
        return "no such job"
    confirmation = ImportJob.objects.filter(preview=preview).first()
    if confirmation is not None and not confirmation.finished:
        return "its import is under way; that import removes it"
    preview.upload.remove()
    return "removed"


def remove_stale_uploads() -> int:
    """Remove the upload folders untouched for IMPORT_UPLOAD_MAX_AGE that no recent queued or
    running job reads: previews nobody confirmed or cancelled, and anything a killed process
    left. Every job ends with this sweep; `manage.py cleanup_uploads` runs it too."""
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
