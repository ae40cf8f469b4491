"""One run of scripts/bench_export.py's comparison for make bench: the tenure export over HTTP
against its single COPY, on the database DATABASE_URL names, written as JSON.

A process of its own with Django set up for that database, since the comparison may read its
COPY statement from the app; bench_export.py's functions do the timing, none is copied here.

    DATABASE_URL=... bench_export_run.py --out FILE --workdir DIR [--company SLUG]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
from pathlib import Path

import bench_export
import dj_database_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--company", default="", help="A company to warm the HTTP worker with.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    import django

    django.setup()
    bench_export.DB_NAME = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    bench_export.DATABASE_URL = os.environ["DATABASE_URL"]
    bench_export.OUT = args.workdir
    args.workdir.mkdir(parents=True, exist_ok=True)

    copy_seconds, copy_path = bench_export.time_copy()
    takes = inspect.signature(bench_export.time_http).parameters
    extra = [args.company] if len(takes) > 1 else []
    http_seconds, http_path, _, peak_kib = bench_export.time_http(dict(os.environ), *extra)
    rows = bench_export.rows_in(http_path)
    result = {
        "rows": rows,
        "http_seconds": http_seconds,
        "copy_seconds": copy_seconds,
        "http_rate": rows / http_seconds,
        "copy_rate": rows / copy_seconds,
        "peak_rss_mb": peak_kib / 1024,
    }
    for path in (copy_path, http_path):
        path.unlink()
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
