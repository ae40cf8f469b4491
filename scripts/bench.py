"""make bench: every page, the import and the export timed on PostgreSQL at two sizes.

For each size (a small record of about 100,000 tenures and the full one of 1,000,000, both
made by `manage.py generate_synthetic`), in one run:

  1. bench_pages.py, in a subprocess on that database, picks the pages from the record (the
     biggest company, a median one, ?on=, ?recorded=, the person on the most boards, search,
     the indexes' last pages, /changes/, /quality/, a tenure's history, the admin's lists, a
     few of their filters and change pages), counts each page's queries in-process, and
     measures its SQL floor: the page's captured statements re-run bare through psycopg.
  2. gunicorn serves the app (its gunicorn.conf.py if the checkout has one, else 2 workers of
     4 threads) with the page cache off (PAGE_CACHE=false: "cold"; PostgreSQL's buffers and
     every worker process warm from two untimed requests per worker first), and each page is
     requested --requests times, one after another: p50 and p95 of the time from connecting to
     the last byte, at the client.
  3. Again with the page cache on ("warm"), one page of each kind.
  4. The tenure export over HTTP beside the fastest single COPY of the same rows
     (scripts/bench_export.py).
Then the import: the small record's tenures exported by export_tenures, imported into an
empty migrated database, then imported again into the filled one (rows/s each).

It prints one markdown table, both sizes side by side, with each goal of the Scale issue and
whether the full size meets it, and writes it to test-output/bench.md (the figures as JSON
beside it). Every step is bounded: a page gets at most --page-seconds of requests (at least
one), a request or statement at most --timeout seconds, an import at most --import-seconds.

    python scripts/bench.py [--small-db gt_bench_small] [--full-db gt_bench] [--sizes small,full]
        [--requests 20] [--migrate | --no-migrate] [--build-full] [--tiny PREFIX] ...
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench_server import Server, app_env, time_page

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}  # as bench_export.py
PUBLIC_MS = 100
ADMIN_MS = 1000
IMPORT_GOAL = 5_000
REIMPORT_GOAL = 2_000
EXPORT_GOAL = 200_000
EXPORT_COPY_RATIO = 2.0
TINY_AT_MOST = 1_000  # tenures: --tiny replaces no database holding more
# The pages of each kind timed again with the page cache warm.
WARM_KINDS = {
    "company-biggest": "company",
    "person": "person",
    "search-common": "search",
    "people-last": "index",
    "changes": "changes",
    "quality": "quality",
    "history": "history",
}


@dataclass
class Size:
    name: str  # small, full
    database: str
    shape: tuple[int, int, int]  # companies, people, tenures
    may_build: bool


def rows_in(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file) - 1


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def database_url(name: str, statement_ms: int | None = None) -> str:
    url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    if statement_ms:
        url += f"?options=-c%20statement_timeout%3D{statement_ms}"
    return url


def admin_connection():
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def database_exists(name: str) -> bool:
    with admin_connection() as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def tenures_in(name: str) -> int:
    """The tenures of the record in that database; 0 for a database without the table."""
    import psycopg

    with psycopg.connect(dbname=name, **PG) as conn:
        if not conn.execute("SELECT to_regclass('governance_tenure')").fetchone()[0]:
            return 0
        return conn.execute("SELECT count(*) FROM governance_tenure").fetchone()[0]


def create_database(name: str, template: str | None = None) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database: str, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "DJANGO_SETTINGS_MODULE": "governance.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=check, **kwargs
    )


def build(size: Size) -> None:
    companies, people, tenures = size.shape
    log(
        f"building {size.database}: {companies:,} companies, {people:,} people, {tenures:,} tenures"
    )
    manage(size.database, "migrate", "--no-input", "-v0")
    manage(
        size.database,
        "generate_synthetic",
        f"--companies={companies}",
        f"--people={people}",
        f"--tenures={tenures}",
        "--seed=1",
        stdout=subprocess.DEVNULL,
    )


def prepare(size: Size, migrate: bool, built: bool) -> None:
    """The database holds a record, built if missing and allowed, migrated if asked."""
    if not database_exists(size.database):
        if not size.may_build:
            raise SystemExit(
                f"database {size.database} does not exist: build it with --build-full, or name "
                f"another with --{size.name}-db"
            )
        create_database(size.database)
    if not tenures_in(size.database):
        if not size.may_build:
            raise SystemExit(f"database {size.database} holds no record: --build-full builds one")
        build(size)
    if built:
        return
    pending = manage(size.database, "migrate", "--check", check=False, capture_output=True)
    if pending.returncode:
        if not migrate:
            raise SystemExit(f"{size.database} has unapplied migrations; run with --migrate")
        log(f"applying migrations to {size.database}")
        manage(size.database, "migrate", "--no-input")


def inspect(size: Size, args, out: Path, static_root: Path) -> dict:
    env = {
        **app_env(database_url(size.database, args.timeout * 1000), False, static_root),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    log(f"{size.name}: discovering pages, counting queries, measuring SQL floors")
    path = out / f"pages-{size.name}.json"
    path.unlink(missing_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_pages.py"),
            "inspect",
            "--out",
            str(path),
            "--timeout",
            str(args.timeout),
            "--repeats",
            str(args.floor_repeats),
        ],
        cwd=ROOT,
        env=env,
    )
    found = json.loads(path.read_text()) if path.exists() else {}
    if result.returncode or "pages" not in found:
        cleanup(size, found)
        raise SystemExit(f"bench_pages.py inspect failed on {size.database}")
    return found


def cleanup(size: Size, found: dict) -> None:
    if not found.get("admin_user"):
        return
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_pages.py"),
            "cleanup",
            "--user",
            found["admin_user"],
            "--session",
            found["admin_session"],
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(size.database)},
        check=True,
    )


def time_pages(size: Size, found: dict, args, out: Path, static_root: Path) -> dict:
    """The cold timings of every page, then the warm ones of WARM_KINDS."""
    url = database_url(size.database, args.timeout * 1000)
    cookie = found["admin_cookie"]
    cold, warm = {}, {}
    with Server(app_env(url, False, static_root), out / "gunicorn.log") as server:
        log(f"{size.name}: timing {len(found['pages'])} pages, page cache off ({server.config})")
        for page in found["pages"]:
            timing = time_page(
                server,
                page["url"],
                args.requests,
                args.page_seconds,
                args.timeout,
                cookie=cookie if page["group"] == "admin" else "",
                # Every worker process serves the page first (its code paths, compiled
                # templates, URL caches): "cold" is Django's page cache, not a fresh process. A
                # page that took seconds in process has warmed what there is to warm.
                warmups=(
                    args.warmups * max(server.workers(), 1)
                    if page["status"] and page["app_seconds"] < 2
                    else 0
                ),
            )
            cold[page["key"]] = timing.as_dict()
            log(f"  {page['key']:<22} {describe(timing)}")
    if args.warm:
        with Server(app_env(url, True, static_root), out / "gunicorn.log") as server:
            log(f"{size.name}: timing one page of each kind, page cache on")
            for page in found["pages"]:
                if page["key"] not in WARM_KINDS:
                    continue
                timing = time_page(
                    server,
                    page["url"],
                    args.requests,
                    args.page_seconds,
                    args.timeout,
                    warmups=(2 * max(server.workers(), 1) + 2) if args.warmups else 0,
                )
                warm[page["key"]] = timing.as_dict()
                log(f"  {page['key']:<22} {describe(timing)}")
    return {"cold": cold, "warm": warm, "server": server.config}


def describe(timing) -> str:
    if not timing.samples:
        return timing.error or "no sample"
    text = f"p50 {timing.p50:8.1f} ms  p95 {timing.p95:8.1f} ms  n={len(timing.samples)}"
    return text + (f"  ({timing.error})" if timing.error else "")


def time_export(size: Size, found: dict, out: Path, static_root: Path) -> dict | None:
    """The export over HTTP and the single COPY, by scripts/bench_export.py's own functions."""
    log(f"{size.name}: export over HTTP, and the same rows by one COPY")
    path = out / f"export-{size.name}.json"
    path.unlink(missing_ok=True)
    company = next(
        (page["url"].split("/")[2] for page in found["pages"] if page["key"] == "company-median"),
        "",
    )
    with (out / "bench-export.log").open("ab") as output:
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "bench_export_run.py"),
                "--out",
                str(path),
                "--workdir",
                str(out / "export"),
                "--company",
                company,
            ],
            cwd=ROOT,
            env=app_env(database_url(size.database), False, static_root),
            stdout=output,
            stderr=output,
        )
    if result.returncode or not path.exists():
        log(f"  the export comparison failed: see {out / 'bench-export.log'}")
        return None
    export = json.loads(path.read_text())
    log(
        f"  HTTP {export['http_seconds']:.2f} s ({export['http_rate']:,.0f} rows/s), "
        f"COPY {export['copy_seconds']:.2f} s"
    )
    return export


def timed_import(database: str, path: Path, limit: float) -> dict:
    """import_tenures FILE into database, killed past limit seconds."""
    env = {**os.environ, "DATABASE_URL": database_url(database)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_tenures", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"seconds": None, "error": f"stopped after {limit:.0f} s"}
    seconds = time.monotonic() - started
    if process.returncode:
        last = (stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": seconds, "error": f"failed: {last[:200]}"}
    return {"seconds": seconds, "error": "", "summary": stdout.strip()[-200:]}


def time_import(size: Size, args, out: Path, template: str | None) -> dict:
    path = out / "tenures-import.csv"
    log(f"import: exporting {size.database}'s tenures with export_tenures")
    manage(size.database, "export_tenures", "--output", str(path), stderr=subprocess.DEVNULL)
    rows = rows_in(path)
    result = {"rows": rows, "database": args.import_db}
    try:
        if template:
            create_database(args.import_db, template)
        else:
            create_database(args.import_db)
            manage(args.import_db, "migrate", "--no-input", "-v0")
        for step in ("empty", "again"):
            log(
                f"import: {rows:,} rows into {'an empty' if step == 'empty' else 'the filled'} database"
            )
            outcome = timed_import(args.import_db, path, args.import_seconds)
            if outcome["seconds"]:
                outcome["rate"] = rows / outcome["seconds"]
            result[step] = outcome
            log(f"  {outcome}")
            if outcome["error"]:
                break
    finally:
        drop_database(args.import_db)
        path.unlink(missing_ok=True)
    return result


# -- The table ------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def page_cells(timing: dict | None, floor: float | None, requests: int) -> list[str]:
    if not timing:
        return ["—"] * 4
    if not timing["n"]:
        return [timing["error"] or "no answer", "—", ms(floor), "—"]
    fewer = f" (n={timing['n']})" if timing["n"] < requests else ""
    ratio = f"{timing['p95_ms'] / floor:.1f}" if floor else "—"
    return [ms(timing["p50_ms"]), ms(timing["p95_ms"]) + fewer, ms(floor), ratio]


def query_cell(page: dict) -> str:
    return "timed out" if page["queries"] is None else str(page["queries"])


def verdict(page: dict, timing: dict | None, counts: list) -> str:
    if timing is None:
        return "not measured"
    problems = []
    if timing["error"]:
        problems.append(timing["error"])
    p95, floor = timing["p95_ms"], page["floor_ms"]
    if page["group"] == "admin":
        if p95 is None or p95 >= ADMIN_MS:
            problems.append("p95 ≥ 1 s")
    else:
        if p95 is None or p95 >= PUBLIC_MS:
            problems.append("p95 ≥ 100 ms")
        if p95 is not None and floor is not None and p95 > max(3 * floor, floor + 20):
            problems.append("p95 > max(3×floor, floor+20)")
    known = [count for count in counts if count is not None]
    if len(known) < len(counts):
        problems.append("queries not counted (the page ran past the timeout)")
    elif len(set(known)) > 1:
        problems.append("query counts differ")
    return "NOT MET: " + "; ".join(problems) if problems else "met"


def table(results: dict, sizes: list[Size], args) -> str:
    names = [size.name for size in sizes]
    judged = names[-1]
    header = ["page"]
    for name in ("small", "full"):
        header += [f"{name} p50 ms", f"{name} p95 ms", f"{name} floor ms", f"{name} p95/floor"]
    header += ["queries@small", "queries@full", "goal", f"at {judged} size"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    first = results[names[0]]
    for page in first["pages"]:
        key = page["key"]
        row = [page["label"]]
        counts = []
        by_size = {}
        for name in ("small", "full"):
            if name not in results:
                row += ["—"] * 4
                continue
            measured = next(p for p in results[name]["pages"] if p["key"] == key)
            timing = results[name]["timings"]["cold"].get(key)
            by_size[name] = (measured, timing)
            counts.append(measured["queries"])
            row += page_cells(timing, measured["floor_ms"], args.requests)
        row += [
            query_cell(by_size[name][0]) if name in by_size else "—" for name in ("small", "full")
        ]
        goal = (
            f"p95 < {ADMIN_MS / 1000:.0f} s; queries equal"
            if page["group"] == "admin"
            else f"p95 < {PUBLIC_MS} ms and ≤ max(3×floor, floor+20 ms); queries equal"
        )
        measured, timing = by_size[judged]
        row += [goal, verdict(measured, timing, counts)]
        lines.append("| " + " | ".join(row) + " |")
    for key, kind in WARM_KINDS.items():
        row = [f"{kind}, page cache warm"]
        for name in ("small", "full"):
            timing = results.get(name, {}).get("timings", {}).get("warm", {}).get(key)
            cells = page_cells(timing, None, args.requests)
            row += [cells[0], cells[1], "—", "—"]
        row += ["—", "—", "none here (make load)", "—"]
        lines.append("| " + " | ".join(row) + " |")
    lines += throughput_rows(results, args)
    return "\n".join(lines)


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} rows/s"


def throughput_rows(results: dict, args) -> list[str]:
    lines = []
    judged = "full" if "full" in results else "small"
    cells = {}
    for name in ("small", "full"):
        export = results.get(name, {}).get("export")
        if not export:
            cells[name] = ["—"] * 4
            continue
        ratio = export["http_seconds"] / export["copy_seconds"]
        cells[name] = [
            rate(export["http_rate"]),
            f"{export['http_seconds']:.2f} s",
            f"COPY {export['copy_seconds']:.2f} s",
            f"{ratio:.2f}× COPY",
        ]
    export = results.get(judged, {}).get("export")
    if export:
        ratio = export["http_seconds"] / export["copy_seconds"]
        problems = []
        if export["http_rate"] < EXPORT_GOAL:
            problems.append(f"< {EXPORT_GOAL:,} rows/s")
        if ratio > EXPORT_COPY_RATIO:
            problems.append(f"> {EXPORT_COPY_RATIO:.0f}× COPY")
        met = "NOT MET: " + "; ".join(problems) if problems else "met"
    else:
        met = "not measured"
    lines.append(
        "| export /export/tenures.csv over HTTP | "
        + " | ".join(cells["small"] + cells["full"])
        + f" | — | — | ≥ {EXPORT_GOAL:,} rows/s and ≤ {EXPORT_COPY_RATIO:.0f}× the single COPY | {met} |"
    )
    imported = results.get("import")
    for step, label, goal in (
        ("empty", "import_tenures into an empty database", IMPORT_GOAL),
        ("again", "import_tenures again into the filled one", REIMPORT_GOAL),
    ):
        outcome = (imported or {}).get(step)
        if not outcome:
            value, met = "—", "not measured"
        elif outcome["error"]:
            value = outcome["error"]
            if outcome["seconds"] is None:
                value += f" (< {imported['rows'] / args.import_seconds:,.0f} rows/s)"
            met = "NOT MET"
        else:
            value = (
                f"{rate(outcome['rate'])} ({imported['rows']:,} rows, {outcome['seconds']:.1f} s)"
            )
            met = "met" if outcome["rate"] >= goal else f"NOT MET: < {goal:,} rows/s"
        lines.append(
            f"| {label} (small record's export) | {value} | — | — | — | — | — | — | — | — | — "
            f"| ≥ {goal:,} rows/s | {met} |"
        )
    return lines


def report(results: dict, sizes: list[Size], args, started: float) -> str:
    machine = (
        f"{os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    with admin_connection() as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    head = [
        f"# make bench — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}",
        "",
        f"Machine: {machine}, load average {os.getloadavg()[1]:.1f} (5 min, at the end), "
        f"PostgreSQL {postgres}. Server: gunicorn "
        f"({next(iter(results.values()))['timings']['server']}), DEBUG off, one request at a time.",
    ]
    for size in sizes:
        facts = results[size.name]["facts"]
        head.append(
            f"- {size.name}: `{size.database}`, {facts['companies']:,} companies, {facts['people']:,} "
            f"people, {facts['tenures']:,} tenures; biggest company {facts['biggest_company']}, "
            f"median {facts['median_company']}; person {facts['person']}; search {facts['search']}; "
            f"/people/ {facts['people_last']}, /companies/ {facts['companies_last']}; "
            f"history of {facts['history']}."
        )
    head += [
        "",
        f"p50/p95: {args.requests} requests a page, one after another (fewer where a page ran past "
        f"{args.page_seconds:.0f} s: n says how many), timed at the client from connecting to the last "
        f"byte, after {args.warmups} untimed requests per worker (PostgreSQL's buffers and the "
        "workers warm); page cache off "
        '(PAGE_CACHE=false) except in the "page cache warm" rows. floor: the page\'s own '
        "queries, captured in-process, re-run bare through psycopg one after another, rows "
        f"fetched (median of up to {args.floor_repeats} runs, within 3 s). Admin pages as a "
        "temporary superuser (removed after). Export: "
        "scripts/bench_export.py's HTTP download against its single COPY of the same rows.",
        "",
    ]
    minutes = (time.monotonic() - started) / 60
    return "\n".join(head) + table(results, sizes, args) + f"\n\nThe run took {minutes:.1f} min.\n"


# -- The run --------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small-db", default="gt_bench_small")
    parser.add_argument("--full-db", default="gt_bench")
    parser.add_argument(
        "--sizes", default="small,full", help="small,full (default), or one of them"
    )
    parser.add_argument(
        "--small-shape", default="1000,20000,100000", help="companies,people,tenures"
    )
    parser.add_argument("--full-shape", default="10000,200000,1000000")
    parser.add_argument(
        "--build-full", action="store_true", help="Build the full record if missing."
    )
    parser.add_argument(
        "--migrate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Apply unapplied migrations first (default), or refuse to run.",
    )
    parser.add_argument("--requests", type=int, default=20, help="Timed requests a page.")
    parser.add_argument("--page-seconds", type=float, default=10, help="Time a page may take.")
    parser.add_argument(
        "--timeout", type=int, default=30, help="Seconds a request or statement may take."
    )
    parser.add_argument("--warm", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--export", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--import", dest="do_import", action=argparse.BooleanOptionalAction, default=True
    )
    parser.add_argument("--import-db", default="gt_bench_import")
    parser.add_argument("--import-seconds", type=float, default=180)
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "bench.md")
    parser.add_argument("--floor-repeats", type=int, default=3, help="Bare re-runs a page.")
    parser.add_argument(
        "--warmups", type=int, default=2, help="Untimed requests a page first, per worker."
    )
    parser.add_argument(
        "--tiny",
        metavar="PREFIX",
        help="A short run that checks the script: tiny records built afresh in databases "
        "PREFIX_small, PREFIX_full and PREFIX_import (dropped after), 3 requests a page.",
    )
    args = parser.parse_args(argv)
    if args.tiny:
        args.small_shape, args.full_shape = "3,30,60", "5,50,120"
        args.requests, args.page_seconds, args.import_seconds, args.warmups = 3, 2, 60, 0
        args.floor_repeats = 1
        args.small_db, args.full_db, args.import_db = (
            f"{args.tiny}_small",
            f"{args.tiny}_full",
            f"{args.tiny}_import",
        )
    return args


def shape(text: str) -> tuple[int, int, int]:
    companies, people, tenures = (int(part) for part in text.split(","))
    return companies, people, tenures


def main(argv=None) -> None:
    started = time.monotonic()
    args = parse_args(argv)
    wanted = [name.strip() for name in args.sizes.split(",") if name.strip()]
    sizes = [
        Size(name, database, shape(text), may_build)
        for name, database, text, may_build in (
            ("small", args.small_db, args.small_shape, True),
            ("full", args.full_db, args.full_shape, args.build_full or args.tiny),
        )
        if name in wanted
    ]
    out = args.out.parent
    out.mkdir(parents=True, exist_ok=True)
    template = None
    if args.tiny:
        # Fresh tiny records; the first empty migrated database is the others' template.
        for name in [size.database for size in sizes] + [args.import_db, args.import_db + "_empty"]:
            if database_exists(name) and tenures_in(name) > TINY_AT_MOST:
                raise SystemExit(f"--tiny would replace {name}, which holds a real record")
        template = sizes[0].database
        create_database(template)
        manage(template, "migrate", "--no-input", "-v0")
        for size in sizes[1:]:
            create_database(size.database, template)
        if args.do_import:
            create_database(args.import_db + "_empty", template)
        for size in sizes:
            build(size)
        template = args.import_db + "_empty" if args.do_import else None
    static_root = out / "bench-static"
    env = app_env(database_url(sizes[0].database), False, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    results = {}
    try:
        for size in sizes:
            prepare(size, args.migrate, built=bool(args.tiny))
            found = inspect(size, args, out, static_root)
            try:
                found["timings"] = time_pages(size, found, args, out, static_root)
                if args.export:
                    found["export"] = time_export(size, found, out, static_root)
            finally:
                cleanup(size, found)
            results[size.name] = found
        if args.do_import:
            results["import"] = time_import(sizes[0], args, out, template)
    finally:
        if args.tiny:
            for name in [size.database for size in sizes] + [args.import_db + "_empty"]:
                drop_database(name)
    text = report(results, sizes, args, started)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main()
