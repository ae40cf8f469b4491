"""Benchmark the tenure CSV export against PostgreSQL's own COPY (make bench-export).

Fills a PostgreSQL database (gt_bench unless --database says otherwise) with the synthetic
record of governance.synthetic, as `python manage.py generate_synthetic` makes it (10,000
companies, 200,000 persons, 1,000,000 tenures with their sources, citations, attested days and
history, seed 1), unless the database already holds a synthetic record of that size; then
times, in one run:

  (a) GET /export/tenures.csv over HTTP from the app under gunicorn (peak RSS of its worker),
  (b) python manage.py export_tenures --output FILE (peak RSS of the process),
  (c) psql: COPY (the export's own statement) TO STDOUT WITH CSV: the same bytes but for the
      header and LF row ends, which it checks.

Not a test: it prints figures to report against the goals (>= 200,000 rows/s, within 2x of
COPY, < 150 MB).

    python scripts/bench_export.py [--rebuild] [--database NAME]
        [--companies N --people N --tenures N --seed N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "gt_bench"  # --database sets it (and DATABASE_URL)
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
BIN = Path(sys.executable).parent
OUT = Path("/tmp/gt-bench")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {DB_NAME}")
            print(f"Created database {DB_NAME}.")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(shape) -> None:
    from governance.synthetic import generate

    summary = generate(shape, replace=True, report=print)
    print(f"Built the record ({sum(summary.rows.values()):,} rows) in {summary.seconds:.1f} s.")


def counts() -> tuple[int, int, int]:
    """Companies, persons and tenures of the record there; (0, 0, 0) for one without history
    (the builder this script had before generate_synthetic), which is rebuilt."""
    from governance.models import Company, Tenure
    from people.models import Person

    if not Tenure.history.exists():
        return 0, 0, 0
    return Company.objects.count(), Person.objects.count(), Tenure.objects.count()


def first_company() -> str:
    """The slug of a company to warm the HTTP worker with (a small export)."""
    from governance.models import Company

    return Company.objects.order_by("pk").values_list("slug", flat=True).first() or "none"


def rows_in(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file) - 1


def vm_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def copy_statement() -> tuple[str, str]:
    """The export's own statement (governance.csv.tenure_export), parameters inlined for psql,
    and its settings as PGOPTIONS: the fastest single statement found that writes the same
    bytes (line ends apart: COPY ends rows with LF, the export with CRLF)."""
    import psycopg
    from django.db import connection

    from governance.csv.tenure_export import COPY_SETTINGS, tenure_export_statement
    from governance.models import Tenure

    statement, params = tenure_export_statement(Tenure.objects.all())
    with connection.cursor() as cursor:
        inlined = psycopg.ClientCursor(cursor.connection).mogrify(statement, params)
    options = " ".join(
        f"-c {setting.replace(' ', '').replace(chr(39), '')}" for setting in COPY_SETTINGS
    )
    return inlined, options


def time_copy() -> tuple[float, Path]:
    path = OUT / "copy.csv"
    query, options = copy_statement()
    sql = f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"
    started = time.monotonic()
    with path.open("wb") as out:
        subprocess.run(
            [
                "psql",
                "-h",
                PG["host"],
                "-p",
                PG["port"],
                "-U",
                PG["user"],
                "-d",
                DB_NAME,
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            stdout=out,
            check=True,
            env={**os.environ, "PGOPTIONS": options},
        )
    return time.monotonic() - started, path


def as_exported(copy_path: Path) -> bytes:
    """COPY's file as the export writes it: the header, and CRLF row ends."""
    from governance.csv.chunks import crlf_row_ends
    from governance.csv.format import TENURE_COLUMNS, csv_lines

    return next(csv_lines(TENURE_COLUMNS, ())).encode() + crlf_row_ends(copy_path.read_bytes())


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def time_command(env: dict) -> tuple[float, Path, int]:
    path = OUT / "command.csv"
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "export_tenures", "--output", str(path)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if status != 0:
        raise SystemExit(f"export_tenures failed with status {status}")
    return elapsed, path, usage.ru_maxrss  # KiB on Linux


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_http(env: dict, warm_company: str) -> tuple[float, Path, int, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "governance.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--timeout",
            "900",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        worker = None
        for _ in range(200):
            time.sleep(0.1)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    worker = int(pids[0])
                    break
                except OSError:
                    continue
        if worker is None:
            raise SystemExit("gunicorn did not start")
        # Warm the worker (imports, connection) so the figure is the export's, not start-up's.
        warm = http.client.HTTPConnection("127.0.0.1", port)
        warm.request(
            "GET", f"/export/tenures.csv?company={warm_company}", headers={"Host": "127.0.0.1"}
        )
        warm.getresponse().read()
        warm.close()
        before = vm_kib(worker, "VmRSS")
        path = OUT / "http.csv"
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        conn.request("GET", "/export/tenures.csv", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}: {response.read()[:500]!r}")
        with path.open("wb") as out:
            while chunk := response.read(1 << 16):
                out.write(chunk)
        elapsed = time.monotonic() - started
        conn.close()
        return elapsed, path, before, vm_kib(worker, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    global DB_NAME, DATABASE_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="Rebuild even if the record is there."
    )
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--tenures", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default=DB_NAME, help="PostgreSQL database to use.")
    args = parser.parse_args()
    DB_NAME = args.database
    DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"

    ensure_database()
    setup_django()
    from governance.synthetic import Shape

    shape = Shape(args.companies, args.people, args.tenures, args.seed)
    wanted = (shape.companies, shape.people, shape.tenures)
    if args.rebuild or counts() != wanted:
        print(f"Building {wanted[0]:,} companies, {wanted[1]:,} persons, {wanted[2]:,} tenures...")
        build(shape)
    else:
        print(
            f"Reusing the record in {DB_NAME}: {wanted[0]:,} companies, {wanted[1]:,} persons, {wanted[2]:,} tenures."
        )

    OUT.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PLAIN_HTTP": "true",
    }
    copy_seconds, copy_path = time_copy()
    command_seconds, command_path, command_kib = time_command(env)
    http_seconds, http_path, http_before_kib, http_peak_kib = time_http(env, first_company())

    rows = rows_in(command_path)
    identical = http_path.read_bytes() == command_path.read_bytes()
    copy_bytes = as_exported(copy_path)
    print()
    print(
        f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    )
    print(
        f"rows exported: {rows:,} (COPY: {rows_in(copy_path) + 1:,}, HTTP: {rows_in(http_path):,}); HTTP file identical to command's: {identical}"
    )
    print(
        f"sha256 HTTP {sha256(http_path.read_bytes())}, command {sha256(command_path.read_bytes())}, "
        f"COPY (with header, CRLF) {sha256(copy_bytes)}"
    )
    print(
        f"(a) HTTP /export/tenures.csv : {http_seconds:7.1f} s  {rows / http_seconds:10,.0f} rows/s  {http_path.stat().st_size / 2**20:6.0f} MiB  worker peak RSS {http_peak_kib / 1024:.0f} MB (after warm-up {http_before_kib / 1024:.0f} MB)"
    )
    print(
        f"(b) export_tenures           : {command_seconds:7.1f} s  {rows / command_seconds:10,.0f} rows/s  {command_path.stat().st_size / 2**20:6.0f} MiB  process peak RSS {command_kib / 1024:.0f} MB"
    )
    print(
        f"(c) psql COPY ... TO STDOUT  : {copy_seconds:7.1f} s  {rows / copy_seconds:10,.0f} rows/s  {copy_path.stat().st_size / 2**20:6.0f} MiB"
    )
    print(
        f"ratio (a)/(c): {http_seconds / copy_seconds:.2f}   ratio (b)/(c): {command_seconds / copy_seconds:.2f}   (goal: within 2x)"
    )
    print(f"peak memory of the app worker: {http_peak_kib / 1024:.0f} MB (goal: under 150 MB)")


if __name__ == "__main__":
    main()
