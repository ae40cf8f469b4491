"""The Django side of make bench, run in a subprocess per database: which pages to time, how
many queries each runs, and what its SQL costs when run bare.

    bench_pages.py inspect --out FILE [--repeats N] [--floor-seconds S] [--timeout S]
    bench_pages.py targets --out FILE      (the pages make load requests)
    bench_pages.py cleanup --user NAME [--session KEY]

inspect discovers the pages from the record itself (the company with the most tenures, one
with the median number, the person on the most boards, the commonest and a unique family
name, the indexes' last pages read from their own pagination, a tenure with several versions,
...), makes a temporary superuser and a session for the admin pages (written to the database,
removed by cleanup), then requests each page in-process through Django's test client under
CaptureQueriesContext (twice when a request takes under a second, counting the second, so that
per-process caches such as content types are filled) and re-runs the captured statements bare
through psycopg inside a transaction that is rolled back: the page's SQL floor is the median
of those sums (up to --repeats runs, fewer past --floor-seconds). A request in process stops
at --timeout seconds (its count is then unknown). It writes JSON to FILE. The database comes
from DATABASE_URL; settings as the served app's (DEBUG off).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN_PREFIX = "bench-timing-"
NO_HIT = "Zzyxqvw"
# Counted twice (warm, then captured) only when one request is cheaper than this.
RECOUNT_UNDER = 1.0


class PageTimeout(BaseException):
    """A request in process ran past its time (a BaseException, so no view handler eats it)."""


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    import django

    django.setup()


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


# -- What to time -------------------------------------------------------------------------


def tenure_counts() -> list[tuple[int, int]]:
    """(tenures, company id) for every company with a tenure, most tenures first."""
    from django.db.models import Count

    from governance.models import Tenure

    rows = (
        Tenure.objects.order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values_list("n", "company")
    )
    return sorted(rows, key=lambda row: (-row[0], row[1]))


def median_day(company) -> str:
    """A day on which many of the company's tenures were held: the median certain start."""
    from governance.models import Tenure

    starts = sorted(
        Tenure.objects.filter(company=company, certain_start__isnull=False).values_list(
            "certain_start", flat=True
        )
    )
    return starts[len(starts) // 2].isoformat() if starts else "2015-06-30"


def recorded_day(company) -> str:
    """The day the last of the company's tenures entered the record (so all of them show)."""
    from django.db.models import Max

    from governance.models import Tenure

    moment = Tenure.history.filter(company_id=company.pk, history_type="+").aggregate(
        last=Max("history_date")
    )["last"]
    return moment.date().isoformat() if moment else "2100-01-01"


def person_on_most_boards():
    from django.db.models import Count

    from governance.models import Tenure
    from people.models import Person

    row = (
        Tenure.objects.order_by()
        .values("person")
        .annotate(boards=Count("company", distinct=True), n=Count("pk"))
        .order_by("-boards", "-n", "person")
        .first()
    )
    return Person.objects.get(pk=row["person"]), row["boards"], row["n"]


def family_names() -> tuple[str, str]:
    """The commonest family name, and one that a single person has."""
    from people.models import Person

    counts = Counter(
        sort_name.split(",")[0].strip()
        for sort_name in Person.objects.values_list("sort_name", flat=True).iterator(10_000)
    )
    counts.pop("", None)
    common = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    rare = min(
        (name for name, n in counts.items() if n == 1 and name.isalpha()),
        default=min(counts, key=lambda name: (counts[name], name)),
    )
    return common, rare


def tenure_with_versions():
    """A tenure succeeding another, with citations and attested days in its history, and the most
    history rows (the first such by id). The page reads each kind of row it shows (a
    predecessor as it was, citations, attested days) in a query of its own, so at both sizes the
    page measured is one of the same shape."""
    from django.db.models import Count

    from governance.models import Attestation, Citation, Tenure

    row = (
        Tenure.history.filter(
            id__in=Tenure.objects.filter(predecessor__isnull=False).values("id"),
        )
        .filter(id__in=Attestation.history.values("tenure_id"))
        .filter(id__in=Citation.history.values("tenure_id"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .order_by("-n", "id")
        .first()
    )
    return Tenure.objects.get(pk=row["id"]), row["n"]


def last_page(client, path: str) -> tuple[str, str]:
    """The index's last page, read from its first page ("Page 1 of [about] N"); an estimated
    count is checked: forward while a page links a next one, back by halving while refused."""
    first = client.get(path)
    found = re.search(rb"Page 1 of (?:about )?([\d,]+)", first.content)
    if not found:
        return path, "one page"
    named = int(found.group(1).replace(b",", b""))

    def serves(number: int):
        response = client.get(f"{path}?page={number}")
        return response.status_code == 200, response

    ok, response = serves(named)
    if ok:
        number = named
        for _ in range(20):
            if b'rel="next"' not in response.content:
                break
            ok, response = serves(number + 1)
            if not ok:
                break
            number += 1
        return f"{path}?page={number}", f"page {number} (first page said {named})"
    good, bad = 1, named
    while bad - good > 1:
        middle = (good + bad) // 2
        if serves(middle)[0]:
            good = middle
        else:
            bad = middle
    return f"{path}?page={good}", f"page {good} (first page said {named})"


def discover(client, admin_cookie: str) -> tuple[list[dict], dict]:
    """The pages to time, each {key, label, group, type, url}, and facts about the record."""
    from django.urls import reverse

    from governance.models import Company, Role, Tenure
    from people.models import Person

    counts = tenure_counts()
    biggest_n, biggest_id = counts[0]
    median_n, median_id = counts[len(counts) // 2]
    biggest = Company.objects.get(pk=biggest_id)
    median = Company.objects.get(pk=median_id)
    person, boards, person_tenures = person_on_most_boards()
    common, rare = family_names()
    tenure, versions = tenure_with_versions()
    director = Role.objects.filter(slug="director").first()
    home = reverse("home")
    people_last, people_note = last_page(client, reverse("person_list"))
    companies_last, companies_note = last_page(client, reverse("company_list"))

    def company_url(company, **params) -> str:
        url = company.get_absolute_url()
        return f"{url}?{urlencode(params)}" if params else url

    def admin(name: str, *args, query: str = "") -> str:
        return reverse(f"admin:{name}", args=args) + (f"?{query}" if query else "")

    tenure_list = "governance_tenure_changelist"
    pages = [
        ("company-biggest", "company, the biggest", "company", company_url(biggest)),
        ("company-median", "company, median size", "company", company_url(median)),
        (
            "company-on",
            "company, biggest, ?on=",
            "company",
            company_url(biggest, on=median_day(biggest)),
        ),
        (
            "company-recorded",
            "company, biggest, ?recorded=",
            "company",
            company_url(biggest, recorded=recorded_day(biggest)),
        ),
        ("person", "person on the most boards", "person", person.get_absolute_url()),
        ("search-common", "search, commonest family name", "search", f"{home}?q={quote(common)}"),
        ("search-rare", "search, a unique family name", "search", f"{home}?q={quote(rare)}"),
        ("search-none", "search, no hit", "search", f"{home}?q={NO_HIT}"),
        ("people-last", "/people/, last page", "index", people_last),
        ("companies-last", "/companies/, last page", "index", companies_last),
        ("changes", "/changes/", "changes", reverse("changes")),
        ("quality", "/quality/", "quality", reverse("quality")),
        (
            "history",
            "history of a tenure",
            "history",
            reverse("record_history", args=["tenure", tenure.pk]),
        ),
        ("admin-tenures", "admin: tenures", "admin", admin(tenure_list)),
        (
            "admin-tenures-status",
            "admin: tenures, status other",
            "admin",
            admin(tenure_list, query="status=other"),
        ),
        (
            "admin-tenures-role",
            "admin: tenures, role director",
            "admin",
            admin(tenure_list, query=f"role__id__exact={director.pk if director else 0}"),
        ),
        (
            "admin-tenures-sourced",
            "admin: tenures, unsourced",
            "admin",
            admin(tenure_list, query="sourced=no"),
        ),
        ("admin-people", "admin: people", "admin", admin("people_person_changelist")),
        ("admin-companies", "admin: companies", "admin", admin("governance_company_changelist")),
        (
            "admin-company",
            "admin: biggest company's page",
            "admin",
            admin("governance_company_change", biggest.pk),
        ),
        (
            "admin-person",
            "admin: that person's page",
            "admin",
            admin("people_person_change", person.pk),
        ),
        (
            "admin-tenure",
            "admin: a tenure's page",
            "admin",
            admin("governance_tenure_change", tenure.pk),
        ),
    ]
    facts = {
        "companies": Company.objects.count(),
        "people": Person.objects.count(),
        "tenures": Tenure.objects.count(),
        "biggest_company": f"{biggest.slug} ({biggest_n} tenures)",
        "median_company": f"{median.slug} ({median_n} tenures)",
        "person": f"{person.slug} ({boards} companies, {person_tenures} tenures)",
        "search": f"common {common!r}, rare {rare!r}, none {NO_HIT!r}",
        "people_last": people_note,
        "companies_last": companies_note,
        "history": f"tenure {tenure.pk} ({versions} versions)",
    }
    return [
        {
            "key": key,
            "label": label,
            "type": kind,
            "url": url,
            "group": "admin" if kind == "admin" else "public",
        }
        for key, label, kind, url in pages
    ], facts


def load_targets() -> dict:
    """The pages make load requests: a median company, the person on the most boards, and a
    search for the commonest family name."""
    from django.urls import reverse

    from governance.models import Company

    counts = tenure_counts()
    median = Company.objects.get(pk=counts[len(counts) // 2][1])
    common, _ = family_names()
    return {
        "company": median.get_absolute_url(),
        "person": person_on_most_boards()[0].get_absolute_url(),
        "search": f"{reverse('home')}?q={quote(common)}",
    }


# -- Counting and the floor ---------------------------------------------------------------


def captured(client, url: str, cookie: str, timeout: float) -> tuple[int, list[str], float]:
    """(status, the SQL of every query, seconds) of one in-process request; status 0 when it
    ran past timeout seconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def interrupt(signum, frame):
        raise PageTimeout

    client.cookies.clear()
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
    except PageTimeout:
        connection.close()
        status = 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return status, [query["sql"] for query in queries], time.monotonic() - started


def floor_ms(statements: list[str], repeats: int, budget: float) -> tuple[float | None, str]:
    """The median, over up to `repeats` runs (fewer past `budget` seconds), of the time the
    statements take run bare one after another, rows fetched, in a transaction rolled back."""
    import psycopg
    from django.db import connection

    from governance.history.tracked import prepare_record_version_sql

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    # The record's version is prepared once per session, as the app does, not on each page.
    prepare = prepare_record_version_sql()
    statements = [sql for sql in statements if sql != prepare]
    sums = []
    started = time.monotonic()
    with psycopg.connect(**params) as conn:
        conn.execute(prepare)
        while len(sums) < repeats and (not sums or time.monotonic() - started < budget):
            total = 0.0
            try:
                for sql in statements:
                    began = time.perf_counter()
                    cursor = conn.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                    total += time.perf_counter() - began
            except psycopg.Error as error:
                conn.rollback()
                return None, f"bare re-run failed: {type(error).__name__}: {str(error)[:120]}"
            conn.rollback()
            sums.append(total * 1000)
    return statistics.median(sums), f"{len(sums)} runs"


# -- The admin's user ---------------------------------------------------------------------


def make_admin_session() -> tuple[str, str, str]:
    """A temporary superuser and a session for it: (username, session key, cookie)."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    username = f"{ADMIN_PREFIX}{os.getpid()}-{int(time.time())}"
    user = get_user_model().objects.create_superuser(username, email="", password=None)
    session = session_store()
    session[SESSION_KEY] = str(user.pk)
    # The backend that checks passwords (axes, first in the list, only guards logins).
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return username, session.session_key, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def session_store(key: str | None = None):
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def remove_admin(username: str, session_keys: list[str]) -> None:
    from django.contrib.auth import get_user_model

    for key in session_keys:
        session_store(key).delete()
    get_user_model().objects.filter(username=username).delete()


def remove_stale_admins() -> list[str]:
    """Users that a benchmark run killed over an hour ago left behind (their sessions, which
    name a deleted user, no longer log anyone in)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    stale = get_user_model().objects.filter(
        username__startswith=ADMIN_PREFIX,
        date_joined__lt=timezone.now() - datetime.timedelta(hours=1),
    )
    names = list(stale.values_list("username", flat=True))
    stale.delete()
    return names


# -- Commands -----------------------------------------------------------------------------


def inspect(out: Path, repeats: int, floor_budget: float, timeout: float, log) -> None:
    from django.test import Client

    pending = pending_migrations()
    if pending:
        raise SystemExit(f"unapplied migrations: {', '.join(pending)} (run with --migrate)")
    stale = remove_stale_admins()
    if stale:
        log(f"removed users left by an earlier run: {', '.join(stale)}")
    username, session_key, cookie = make_admin_session()
    result = {"admin_user": username, "admin_session": session_key, "admin_cookie": cookie}
    out.write_text(json.dumps(result))  # so that cleanup finds the user if what follows fails
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    # /quality/'s computed checks, as a deployment's worker (or cron) keeps them: timed apart.
    from governance.history.tracked import record_version
    from governance.pages.quality import compute_findings

    started = time.monotonic()
    compute_findings(record_version())
    log(f"computed /quality/'s stored checks in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    pages, facts = discover(client, cookie)
    log(f"discovered {len(pages)} pages in {time.monotonic() - started:.1f} s")
    for page in pages:
        cookie_for = cookie if page["group"] == "admin" else ""
        status, statements, seconds = captured(client, page["url"], cookie_for, timeout)
        if status and seconds < RECOUNT_UNDER:
            status, statements, seconds = captured(client, page["url"], cookie_for, timeout)
        page.update(status=status, app_seconds=seconds, queries=None, floor_ms=None)
        if status:
            page["queries"] = len(statements)
            page["floor_ms"], page["floor_note"] = floor_ms(statements, repeats, floor_budget)
        else:
            page["floor_note"] = f"in-process request ran past {timeout:.0f} s"
        floor = "-" if page["floor_ms"] is None else f"{page['floor_ms']:.1f} ms"
        log(
            f"  {page['key']:<22} {status} {page['queries']} queries, {seconds:.2f} s in "
            f"process, floor {floor}  {page['url']}"
        )
    result.update(pages=pages, facts=facts)
    out.write_text(json.dumps(result, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("inspect")
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--repeats", type=int, default=3)
    run.add_argument("--floor-seconds", type=float, default=3.0)
    run.add_argument("--timeout", type=float, default=30.0)
    targets = commands.add_parser("targets")
    targets.add_argument("--out", type=Path, required=True)
    clean = commands.add_parser("cleanup")
    clean.add_argument("--user", required=True)
    clean.add_argument("--session", action="append", default=[])
    args = parser.parse_args()
    setup()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if args.command == "inspect":
        inspect(args.out, args.repeats, args.floor_seconds, args.timeout, log)
    elif args.command == "targets":
        args.out.write_text(json.dumps(load_targets()))
    else:
        if not args.user.startswith(ADMIN_PREFIX):
            raise SystemExit(f"cleanup removes only users named {ADMIN_PREFIX}*")
        remove_admin(args.user, args.session)


if __name__ == "__main__":
    main()
