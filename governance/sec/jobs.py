"""SEC ownership filings uploaded in the admin, imported as background jobs (governance/jobs.py
runs them): the task a worker runs, the permissions it needs, and what it reports.

An upload is one or many files (ownership .xml, full-submission .txt, .zip of them), kept in
its private folder under the names they were uploaded with (made safe), since an .xml's name
carries its accession number. The preview is a dry run of the same import the command runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePath

from django_tasks import task

from governance import jobs
from governance.models import ImportJob
from governance.models.imports import Upload
from governance.sec.files import count_documents
from governance.sec.importer import import_filings
from governance.sec.report import Finding, ImportReport

# Everything an import of filings may create or change: companies (a CIK linked, a former name
# as filed), persons (a CIK linked, an other name as filed), tenures with their citations and
# attested days, and sources with their parties. Checked on the page and again when the job
# runs, as its submitter.
IMPORT_PERMISSIONS = (
    "governance.add_company",
    "governance.change_company",
    "governance.add_formername",
    "people.add_person",
    "people.change_person",
    "people.add_othername",
    "governance.add_tenure",
    "governance.change_tenure",
    "governance.add_citation",
    "governance.add_attestation",
    "governance.add_source",
    "governance.add_sourceparty",
)
FILINGS_FOLDER = "filings"
# What the upload keeps of a file's name: letters, digits, dot, dash, underscore.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, taken: set[str]) -> str:
    """The uploaded file's own name, made safe to keep (no folder, no odd character) and new
    among the upload's names."""
    pure = PurePath(name.replace("\\", "/")).name
    suffix = PurePath(pure).suffix.lower()
    stem = _UNSAFE.sub("_", PurePath(pure).stem).strip("._")[:100] or "file"
    candidate, number = f"{stem}{suffix}", 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    taken.add(candidate)
    return candidate


def save_uploads(upload: Upload, files: Iterable[tuple[str, Iterable[bytes]]]) -> Path:
    """Write each (name, chunks) to the upload's private folder; the folder of filings."""
    taken: set[str] = set()
    for name, chunks in files:
        upload.write(f"{FILINGS_FOLDER}/{safe_name(name, taken)}", chunks)
    return upload.folder / FILINGS_FOLDER


def count_filings(folder: Path) -> int:
    return count_documents([folder])


def _import(job: ImportJob, *, progress) -> dict:
    report = import_filings(
        [job.upload_path], user=job.submitted_by, dry_run=job.dry_run, progress=progress
    )
    return result_data(report, folder=Path(job.upload_path))


@task()
def run_sec_import_job(job_id: str) -> str:
    return jobs.run_job(SEC_FILINGS, job_id)


SEC_FILINGS = jobs.ImportKind(
    kind=ImportJob.Kind.SEC_FILINGS,
    permissions=IMPORT_PERMISSIONS,
    what="SEC filings",
    count=count_filings,
    run=lambda job, progress: _import(job, progress=progress),
    task=run_sec_import_job,
)


def submit_import(user, **options) -> ImportJob:
    return jobs.submit(SEC_FILINGS, user, **options)


def result_data(report: ImportReport, *, folder: Path) -> dict:
    """An ImportReport as JSON for the job's row, each path as the file was uploaded (a zip's
    member as "archive.zip!member")."""
    prefix = f"{folder}/"

    def findings(items: list[Finding]) -> list[dict]:
        return [
            {
                "path": jobs.storable(item.path.removeprefix(prefix)),
                "text": jobs.storable(item.text.replace(prefix, "")),
            }
            for item in items
        ]

    counts = report.counts
    numbers = {name: value for name, value in vars(counts).items() if isinstance(value, int)}
    return {
        "summary": report.summary().replace(prefix, "").splitlines()[0],
        "rows": report.files_read,  # the work counted, as ImportJob.rows_done
        "files": report.files_read,
        "counts": numbers,
        # Anything written (or, in a preview, that would be): a filing applied is at least a
        # ledger row and a source.
        "changes": counts.filings_applied > 0,
        # A malformed file writes nothing, and the rest still apply: the preview can be
        # confirmed with them listed, as the command would apply them.
        "errors": [],
        "failed": findings(report.failed),
        "skipped_owners": findings(counts.skipped_owners),
        "skipped_relationships": findings(counts.skipped_relationships),
        "held_back": findings(counts.held_back),
        "totals": {name: report.skip_reasons[name] for name in report.skip_reasons},
    }
