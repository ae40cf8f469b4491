"""Import jobs (tenure CSV, SEC ownership filings): who submitted which upload, preview or real
import, status, progress, result; and the private folder each upload waits in."""

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJobQuerySet(models.QuerySet):
    def submitted_by(self, user) -> "ImportJobQuerySet":
        return self.filter(submitted_by=user)

    def unfinished(self) -> "ImportJobQuerySet":
        return self.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])


class ImportJob(models.Model):
    """One run of an import in the background: a preview (dry run) or the real import that
    confirms a preview. Both read the same upload."""

    class Kind(models.TextChoices):
        TENURE_CSV = "tenure_csv", "Tenure CSV"
        SEC_FILINGS = "sec_filings", "SEC ownership filings"

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
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.TENURE_CSV,
        help_text="Which import it runs, and so which task and which permissions it needs.",
    )
    filename = models.CharField(
        max_length=255,
        help_text="The uploaded file's own name (the first of several, with how many more), "
        "quoted in history's reason.",
    )
    upload_path = models.CharField(
        max_length=1000,
        help_text="What the import reads (the CSV file; the folder of SEC filings), in the "
        "upload's own private folder under IMPORT_UPLOAD_DIR, named by the preview's id.",
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
        null=True,
        blank=True,
        help_text="Rows in the file (filings in the upload, for SEC filings), counted when the "
        "job starts.",
    )
    rows_done = models.PositiveIntegerField(
        default=0,
        help_text="Rows (filings) read, when the job ends; while it runs, the worker reports them "
        "in a progress file beside the upload, since the import's transaction hides its writes.",
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
        step = "preview" if self.dry_run else "import"
        return f"{self.filename} ({step}, {self.get_status_display().lower()})"

    @property
    def unit(self) -> str:
        """What its progress counts."""
        return "filing" if self.kind == self.Kind.SEC_FILINGS else "row"

    @property
    def has_changes(self) -> bool:
        """Whether it found (a preview) or made (an import) anything to write."""
        return bool((self.result or {}).get("changes"))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def ok(self) -> bool:
        """Done, and every row good."""
        return self.status == self.Status.DONE and not (self.result or {}).get("errors")

    @property
    def upload(self) -> "Upload":
        return Upload(Path(self.upload_path).parent)

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


# The uploads. Each waits in a folder of its own under IMPORT_UPLOAD_DIR, named by the id of
# the preview that reads it first (the import that confirms it reads the same folder); 0700,
# its files 0600, so no other account on the host reads them. The job's own progress file sits
# beside what the import reads.


def upload_root() -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR)


class Upload:
    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def create(cls, job_id: uuid.UUID) -> "Upload":
        root = upload_root()
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = root / str(job_id)
        folder.mkdir(mode=0o700)  # never an existing one: an id names one upload
        os.chmod(folder, 0o700)  # whatever the umask
        return cls(folder)

    @property
    def valid(self) -> bool:
        """Whether it is an upload's own folder: never the root, never anything outside it."""
        return self.folder.resolve().parent == upload_root().resolve()

    @property
    def exists(self) -> bool:
        return self.valid and self.folder.is_dir()

    def write(self, relative: str, chunks: Iterable[bytes]) -> Path:
        """A new private file in the folder (or a subfolder, made private too)."""
        path = self.folder / relative
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with create_private(path) as file:
            for chunk in chunks:
                file.write(chunk)
        return path

    def remove(self) -> None:
        if self.valid:
            shutil.rmtree(self.folder, ignore_errors=True)


def create_private(path: Path):
    """A new file, readable and writable by this user only."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
