"""make bench runs end to end (at a tiny size, so that it cannot rot), and the bare /healthz view."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("DATABASE_URL", "")

# Every row make bench's table must have: the pages of the Scale issue, then the throughputs.
PAGE_ROWS = [
    "company, the biggest",
    "company, median size",
    "company, biggest, ?on=",
    "company, biggest, ?recorded=",
    "person on the most boards",
    "search, commonest family name",
    "search, a unique family name",
    "search, no hit",
    "/people/, last page",
    "/companies/, last page",
    "/changes/",
    "/quality/",
    "history of a tenure",
    "admin: tenures",
    "admin: tenures, status other",
    "admin: tenures, role director",
    "admin: tenures, unsourced",
    "admin: people",
    "admin: companies",
    "admin: biggest company's page",
    "admin: that person's page",
    "admin: a tenure's page",
]
WARM_ROWS = [
    f"{kind}, page cache warm"
    for kind in ("company", "person", "search", "index", "changes", "quality", "history")
]
THROUGHPUT_ROWS = [
    "export /export/tenures.csv over HTTP",
    "import_tenures into an empty database (small record's export)",
    "import_tenures again into the filled one (small record's export)",
]


def test_healthz_answers_ok_without_the_database(client):
    # No db fixture: pytest-django refuses any database access, so this passing shows none.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.skipif(
    not URL.startswith("postgres") or not shutil.which("psql"),
    reason="make bench measures PostgreSQL (set DATABASE_URL; needs psql)",
)
def test_bench_prints_a_row_for_every_page_and_throughput(tmp_path):
    prefix = f"test_{dj_database_url.parse(URL)['NAME']}_bench"
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--tiny", prefix, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {}
    for line in result.stdout.splitlines():
        if line.startswith("| ") and not line.startswith("| page "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells
    assert list(rows) == PAGE_ROWS + WARM_ROWS + THROUGHPUT_ROWS
    assert {len(cells) for cells in rows.values()} == {13}
    # Every page was served (a figure, not an error, in its p50 cells) and counted at both sizes.
    for label in PAGE_ROWS:
        small_p50, full_p50 = rows[label][1], rows[label][5]
        queries = rows[label][9:11]
        assert re.fullmatch(r"[\d,.]+", small_p50) and re.fullmatch(r"[\d,.]+", full_p50), rows[
            label
        ]
        assert all(count.isdigit() for count in queries), rows[label]
    assert "status" not in " ".join(rows[label][-1] for label in PAGE_ROWS)
    assert out.read_text().strip().endswith("min.")
