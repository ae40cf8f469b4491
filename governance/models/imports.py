"""Tenure CSV import jobs: who submitted which upload, preview or real import, status, progress,
result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJobQuerySet(models.QuerySet):
    def submitted_by(self, user) -> "ImportJobQuerySet":
        return self.filter(submitted_by=user)

    def unfinished(self) -> "ImportJobQuerySet":
        return self.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])


class ImportJob(models.Model):
    """One run of the tenure import in the background: a preview (dry run) or the real import
    that confirms a preview. Both read the same upload."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A job is its submitter's working state, not part of the record: the tenures it wrote
        # keep their own history, which names the user.
        on_delete=models.CASCADE,
        related_name="import_jobs",
        help_text="Who uploaded the file; only they see the job, and it runs with their rights.",
    )
    filename = models.CharField(
        max_length=255, help_text="The uploaded file's own name, quoted in history's reason."
    )
    upload_path = models.CharField(
        max_length=1000,
        help_text="Where the upload waits, in its own private folder under IMPORT_UPLOAD_DIR.",
    )
    dry_run = models.BooleanField(help_text="A preview: checks every row and writes nothing.")
    preview = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        # Previews are not deleted while their import stands, but if one is, the import's
        # result still stands on its own.
        on_delete=models.SET_NULL,
        related_name="confirmation",
        help_text="The preview this import confirms: a preview is confirmed at most once.",
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, help_text="Where it is."
    )
    rows_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Rows in the file, counted when the job starts."
    )
    rows_done = models.PositiveIntegerField(
        default=0,
        help_text="Rows read, when the job ends; while it runs, the worker reports them in a "
        "progress file beside the upload, since the import's transaction hides its writes.",
    )
    result = models.JSONField(
        null=True,
        blank=True,
        help_text="What the import reported: its summary, counts, every row error, and the "
        "rows that create or change a tenure.",
    )
    failure = models.TextField(
        blank=True, help_text="Why the job did not finish, in words for its submitter."
    )
    enqueued_at = models.DateTimeField(default=timezone.now, help_text="When it was submitted.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker began it.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it ended.")
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The task queue's id of the task that runs it."
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        indexes = [
            # The import page lists the user's latest jobs.
            models.Index(fields=["submitted_by", "-enqueued_at"], name="importjob_user_recent"),
        ]

    def __str__(self) -> str:
        kind = "preview" if self.dry_run else "import"
        return f"{self.filename} ({kind}, {self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def ok(self) -> bool:
        """Done, and every row good."""
        return self.status == self.Status.DONE and not (self.result or {}).get("errors")

    def start(self, rows_total: int | None) -> None:
        self.status = self.Status.RUNNING
        self.rows_total = rows_total
        self.started_at = timezone.now()
        self.save(update_fields=["status", "rows_total", "started_at"])

    def finish(self, result: dict) -> None:
        self.status = self.Status.DONE
        self.result = result
        self.rows_done = result["rows"]
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "result", "rows_done", "finished_at"])

    def fail(self, failure: str) -> None:
        self.status = self.Status.FAILED
        self.failure = failure
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "failure", "finished_at"])
