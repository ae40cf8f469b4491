"""Tenure CSV imports as background jobs (governance/jobs.py runs them): the task a worker runs,
what it needs, and what it reports.

A job runs `import_tenures` on an upload: first as a preview (a dry run), then, once its
submitter confirms, for real.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django_tasks import task

from governance import jobs
from governance.csv.tenure_import import import_tenures
from governance.models import ImportJob

# Everything the import may create or change: tenures, and the persons, companies and sources
# they name, their citations and attested days. Checked on the page and again when the job runs,
# as its submitter.
IMPORT_PERMISSIONS = (
    "governance.add_tenure",
    "governance.change_tenure",
    "people.add_person",
    "governance.add_company",
    "governance.add_source",
    "governance.add_citation",
    "governance.add_attestation",
)
UPLOAD_NAME = "upload.csv"
# Rows that create or change a tenure kept for the page; the rest are counted.
ACTIONS_SHOWN = 1000


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


def _import(job: ImportJob, *, progress) -> dict:
    with Path(job.upload_path).open("rb") as file:
        result = import_tenures(
            file,
            filename=job.filename,
            user=job.submitted_by,
            dry_run=job.dry_run,
            progress=progress,
        )
    return result_data(result)


@task()
def run_import_job(job_id: str) -> str:
    return jobs.run_job(TENURE_CSV, job_id)


TENURE_CSV = jobs.ImportKind(
    kind=ImportJob.Kind.TENURE_CSV,
    permissions=IMPORT_PERMISSIONS,
    what="tenures",
    count=count_rows,
    run=lambda job, progress: _import(job, progress=progress),
    task=run_import_job,
)


def may_import(user) -> bool:
    return TENURE_CSV.allows(user)


def submit_import(user, **options) -> ImportJob:
    return jobs.submit(TENURE_CSV, user, **options)


def result_data(result) -> dict:
    """An ImportResult as JSON for the job's row: what the admin's page shows."""
    storable = jobs.storable
    changing = [row for row in result.actions if row.action != "unchanged"]
    # The batched importer keeps the first rows that change something, and counts the rest.
    left_out = getattr(result, "actions_left_out", 0) + max(len(changing) - ACTIONS_SHOWN, 0)
    counts = {action: result.count(action) for action in ("create", "update", "unchanged")}
    return {
        "summary": result.summary(),
        "rows": result.rows,
        "counts": counts,
        "changes": bool(counts["create"] or counts["update"]),
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
