"""Benchmark the tenure CSV export against PostgreSQL's own COPY (make bench-export).

Builds a synthetic record on PostgreSQL (10,000 companies, 200,000 persons, 1,000,000 tenures,
a citation per tenure, an attested day on one director tenure in ten) with COPY, the derived
interval columns computed by governance.models.intervals.derive_intervals exactly as a save would;
then times, in one run:

  (a) GET /export/tenures.csv over HTTP from the app under gunicorn (peak RSS of its worker),
  (b) python manage.py export_tenures --output FILE (peak RSS of the process),
  (c) psql: COPY (the same query, as one SQL statement) TO STDOUT WITH CSV.

Not a test: it prints figures to report against the goal (app within 3x of COPY, < 150 MB).
History tables are not filled for the synthetic record: the export does not read them.

    python scripts/bench_export.py [--rebuild] [--companies N --persons N --tenures-per-company N]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.client
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "gt_bench"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
BIN = Path(sys.executable).parent
OUT = Path("/tmp/gt-bench")

# The export as one statement, for COPY: same rows, columns and order as tenure_export (NULL
# where the export writes an empty cell, which COPY's CSV writes unquoted, as the app does).
COPY_QUERY = """
SELECT p.name AS person, c.name AS company, r.slug AS role, t.title,
  t.start, t."end", t.end_reason, pp.name AS replaces,
  (SELECT string_agg(coalesce(nullif(s.url, ''), s.title), ' | '
                              ORDER BY ci.position, ci.id)
            FROM governance_citation ci JOIN governance_source s ON s.id = ci.source_id
            WHERE ci.tenure_id = t.id) AS sources,
  (SELECT string_agg(d.day::text, ' | ' ORDER BY d.day)
            FROM (SELECT DISTINCT a.day FROM governance_attestation a
                  WHERE a.tenure_id = t.id) d) AS attested,
  p.slug AS person_slug, c.slug AS company_slug, pp.slug AS replaces_slug
FROM governance_tenure t
JOIN people_person p ON p.id = t.person_id
JOIN governance_company c ON c.id = t.company_id
JOIN governance_role r ON r.id = t.role_id
LEFT JOIN governance_tenure pt ON pt.id = t.predecessor_id
LEFT JOIN people_person pp ON pp.id = pt.person_id
ORDER BY c.slug, r.position, r.slug, t.start NULLS FIRST, p.slug
"""

GIVEN = "Anna Björn Chloé Dmitri Élodie Farid Grace Hiroshi Ines José Kai Léa Marc Nadia Olu Pat".split()
FAMILY = "Anderson Brontë Crossman Dubois Eriksson Furrow García Hall Ivanova Jones Kowalski Lee Müller Nguyen O'Brien Patel".split()


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


def columns(model, names: list[str]) -> str:
    return ", ".join(f'"{model._meta.get_field(name).column}"' for name in names)


def build(companies: int, persons: int, per_company: int) -> None:
    from django.db import connection

    from governance.csv.progress import Progress
    from governance.models import Attestation, Citation, Company, Role, Source, Tenure
    from governance.models.intervals import derive_intervals
    from governance.models.partial_date import PartialDate
    from people.models import Person
    from people.names import normalise_name

    parse = functools.lru_cache(maxsize=None)(PartialDate.parse)
    rng = random.Random(5)
    roles = {role.slug: role for role in Role.objects.all()}
    ceo, director = roles["ceo"], roles["director"]
    started = time.monotonic()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "TRUNCATE governance_attestation, governance_citation, governance_tenure, "
            "governance_sourceparty, governance_founder, governance_formername, governance_source, "
            "governance_company, people_othername, people_person RESTART IDENTITY CASCADE"
        )

        def copy(model, names, rows, label, total):
            progress = Progress(f"  {label}", total=total, stream=sys.stderr)
            sql = f"COPY {model._meta.db_table} ({columns(model, names)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for n, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if n % 5000 == 0:
                        progress.update(n)
            progress.update(total)
            progress.close()

        def person_rows():
            for n in range(1, persons + 1):
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                name = f"{given} {family} {n}"
                yield (
                    n,
                    name,
                    f"{family} {n}, {given}",
                    f"person-{n:06d}",
                    "",
                    normalise_name(name),
                )

        copy(
            Person,
            ["id", "name", "sort_name", "slug", "notes", "search_key"],
            person_rows(),
            "persons",
            persons,
        )

        company_fields = [
            "id",
            "name",
            "slug",
            "ticker",
            "exchange",
            "cik",
            "jurisdiction",
            "headquarters",
            "notes",
        ]
        copy(
            Company,
            company_fields,
            (
                (n, f"Company {n} Inc.", f"company-{n:05d}", "", "", "", "Delaware", "", "")
                for n in range(1, companies + 1)
            ),
            "companies",
            companies,
        )
        source_fields = [
            "id",
            "kind",
            "title",
            "form_type",
            "exhibit",
            "date",
            "url",
            "accession_number",
            "notes",
        ]
        copy(
            Source,
            source_fields,
            (
                (
                    n,
                    "sec_filing",
                    f"Form 10-K of Company {n} Inc., 2005",
                    "10-K",
                    "",
                    "2005",
                    f"https://example.com/filings/{n}/10-K-2005",
                    "",
                    "",
                )
                for n in range(1, companies + 1)
            ),
            "sources",
            companies,
        )
        latest_source_day = datetime.date(2005, 12, 31)

        tenure_fields = [
            "id",
            "person",
            "company",
            "role",
            "title",
            "start",
            "end",
            "end_reason",
            "predecessor",
            "notes",
            "single_seat",
            "has_certain_days",
            "certain_start",
            "certain_end",
            "possible_start",
            "possible_end",
        ]
        attested: list[tuple[int, datetime.date]] = []

        def tenure_rows():
            tenure_id = 0
            ceos = min(10, per_company)
            for company in range(1, companies + 1):
                # Ten CEOs laid end to end (a hand-over month, never two certain days shared),
                # each succeeding the one before.
                chain = []
                for k in range(ceos):
                    start = f"{1950 + 5 * k}-01"
                    end = f"{1955 + 5 * k}-01" if k < ceos - 1 else None
                    chain.append((start, end, "succeeded" if end else ""))
                first_ceo = tenure_id + 1
                for k, (start, end, reason) in enumerate(chain):
                    tenure_id += 1
                    successor_start = (
                        derive_intervals(parse(chain[k + 1][0]), None, False).certain_start
                        if k + 1 < len(chain)
                        else None
                    )
                    intervals = derive_intervals(
                        parse(start),
                        parse(end) if end else None,
                        bool(end or reason),
                        latest_source_day=latest_source_day,
                        successor_certain_start=successor_start,
                    )
                    yield (
                        tenure_id,
                        rng.randint(1, persons),
                        company,
                        ceo.pk,
                        ceo.name,
                        start,
                        end,
                        reason,
                        first_ceo + k - 1 if k else None,
                        "",
                        True,
                        intervals.has_certain_days,
                        intervals.certain_start,
                        intervals.certain_end,
                        intervals.possible_start,
                        intervals.possible_end,
                    )
                for j in range(per_company - ceos):
                    tenure_id += 1
                    year = 1930 + j
                    start = [
                        f"{year}",
                        f"{year}-{1 + j % 12:02d}",
                        f"{year}-{1 + j % 12:02d}-{1 + j % 28:02d}",
                    ][j % 3]
                    kind = j % 4
                    end = f"{year + 1 + j % 10}" if kind >= 2 else None
                    reason = {0: "", 1: "resigned", 2: "retired", 3: "term_expired"}[kind]
                    days = []
                    if j % 10 == 0:
                        days = [parse(start).first + datetime.timedelta(days=100)]
                        attested.append((tenure_id, days[0]))
                    intervals = derive_intervals(
                        parse(start),
                        parse(end) if end else None,
                        bool(end or reason),
                        attested_days=days,
                        latest_source_day=latest_source_day,
                    )
                    yield (
                        tenure_id,
                        rng.randint(1, persons),
                        company,
                        director.pk,
                        director.name,
                        start,
                        end,
                        reason,
                        None,
                        "",
                        False,
                        intervals.has_certain_days,
                        intervals.certain_start,
                        intervals.certain_end,
                        intervals.possible_start,
                        intervals.possible_end,
                    )

        total = companies * per_company
        copy(Tenure, tenure_fields, tenure_rows(), "tenures", total)
        copy(
            Citation,
            ["id", "source", "tenure", "quote", "position"],
            ((n, (n - 1) // per_company + 1, n, "", 0) for n in range(1, total + 1)),
            "citations",
            total,
        )
        copy(
            Attestation,
            ["id", "tenure", "day", "quote"],
            ((n, tenure_id, day) + ("",) for n, (tenure_id, day) in enumerate(attested, 1)),
            "attestations",
            len(attested),
        )
        for model in (Person, Company, Source, Tenure, Citation, Attestation):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
    connection.commit() if not connection.get_autocommit() else None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built the record in {time.monotonic() - started:.1f} s.")


def counts() -> tuple[int, int, int]:
    from governance.models import Company, Tenure
    from people.models import Person

    return Company.objects.count(), Person.objects.count(), Tenure.objects.count()


def rows_in(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file) - 1


def vm_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def time_copy() -> tuple[float, Path]:
    path = OUT / "copy.csv"
    sql = f"COPY ({COPY_QUERY}) TO STDOUT WITH (FORMAT csv, HEADER)"
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
        )
    return time.monotonic() - started, path


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


def time_http(env: dict) -> tuple[float, Path, int, int]:
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
            "GET", "/export/tenures.csv?company=company-00001", headers={"Host": "127.0.0.1"}
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="Rebuild even if the record is there."
    )
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--tenures-per-company", type=int, default=100)
    args = parser.parse_args()

    ensure_database()
    setup_django()
    wanted = (args.companies, args.persons, args.companies * args.tenures_per_company)
    if args.rebuild or counts() != wanted:
        print(f"Building {wanted[0]:,} companies, {wanted[1]:,} persons, {wanted[2]:,} tenures...")
        build(args.companies, args.persons, args.tenures_per_company)
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
    http_seconds, http_path, http_before_kib, http_peak_kib = time_http(env)

    rows = rows_in(command_path)
    identical = http_path.read_bytes() == command_path.read_bytes()
    print()
    print(
        f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    )
    print(
        f"rows exported: {rows:,} (COPY: {rows_in(copy_path):,}, HTTP: {rows_in(http_path):,}); HTTP file identical to command's: {identical}"
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
        f"ratio (a)/(c): {http_seconds / copy_seconds:.2f}   ratio (b)/(c): {command_seconds / copy_seconds:.2f}   (goal: within 3x)"
    )
    print(f"peak memory of the app worker: {http_peak_kib / 1024:.0f} MB (goal: under 150 MB)")


if __name__ == "__main__":
    main()
