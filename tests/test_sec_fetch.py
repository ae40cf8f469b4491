"""Fetching from EDGAR (governance.sec.edgar, fetch_sec_ownership) against a real HTTP server on
this machine serving EDGAR's documented shapes, built from the fixtures; the rate limiter on a
fake clock."""

import datetime
import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from governance.models import AppliedFiling, Tenure
from governance.sec.edgar import EdgarClient, EdgarError, RateLimiter, fetch_ownership
from tests.sec_helpers import FIXTURES, full_submission, ownership_xml

CIK = "0000990001"
# (accession, form, filing date, XML): the issuer's filings, newest first as EDGAR lists them.
RECENT = [
    ("0000990001-24-000103", "4", "2024-05-16", "0000990001-24-000103.xml"),
    ("0000990001-24-000104", "4/A", "2024-03-11", "0000990001-24-000104.xml"),
    ("0000990001-24-000900", "8-K", "2024-03-08", None),
    ("0000990001-24-000102", "4", "2024-03-06", "0000990001-24-000102.xml"),
    ("0000990001-24-000101", "4", "2024-03-05", "0000990001-24-000101.xml"),
]
OLDER = [("0000990001-12-000007", "3", "2012-02-01", None)]


def columns(rows) -> dict:
    return {
        "accessionNumber": [row[0] for row in rows],
        "form": [row[1] for row in rows],
        "filingDate": [row[2] for row in rows],
        "reportDate": ["" for _ in rows],
        "primaryDocument": ["xslF345X05/form.xml" for _ in rows],
    }


def submission_text(accession: str, form: str, filed: str, fixture: str | None) -> bytes:
    if fixture is None:
        xml = ownership_xml(
            form=form,
            period="2012-01-20",
            issuer_cik=CIK,
            issuer_name="HALCYON ROBOTICS INC",
            owners=[dict(cik="0000990101", name="VOSS MARGARET A", isDirector="1")],
        )
    else:
        xml = (FIXTURES / fixture).read_bytes()
    return full_submission(
        xml, accession=accession, form=form, filed=datetime.date.fromisoformat(filed)
    )


class Edgar(BaseHTTPRequestHandler):
    """/submissions/… as data.sec.gov serves it, /Archives/edgar/data/… as www.sec.gov does."""

    routes: dict = {}
    log: list = []
    fail_first: set = set()  # paths that answer 503 once
    busy: set = set()  # paths that always answer 503

    def do_GET(self):
        self.log.append((self.path, self.headers.get("User-Agent")))
        if self.path in self.busy:
            self.send_response(503)
            self.end_headers()
            return
        if self.path in self.fail_first:
            self.fail_first.discard(self.path)
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        body = self.routes.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(gzip.compress(body))

    def log_message(self, *args):
        pass


@pytest.fixture
def edgar():
    routes = {
        f"/submissions/CIK{CIK}.json": json.dumps(
            {
                "cik": "990001",
                "name": "HALCYON ROBOTICS INC",
                "tickers": ["HLCN"],
                "filings": {
                    "recent": columns(RECENT),
                    "files": [
                        {
                            "name": f"CIK{CIK}-submissions-001.json",
                            "filingCount": 1,
                            "filingFrom": "2012-02-01",
                            "filingTo": "2012-02-01",
                        }
                    ],
                },
            }
        ).encode(),
        f"/submissions/CIK{CIK}-submissions-001.json": json.dumps(columns(OLDER)).encode(),
    }
    for accession, form, filed, fixture in RECENT + OLDER:
        if form != "8-K":
            path = f"/Archives/edgar/data/990001/{accession.replace('-', '')}/{accession}.txt"
            routes[path] = submission_text(accession, form, filed, fixture)
    Edgar.routes, Edgar.log, Edgar.fail_first, Edgar.busy = routes, [], set(), set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Edgar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(base: str, clock: FakeClock, **options) -> EdgarClient:
    return EdgarClient(
        "Governance Timeline tests tests@example.com",
        data_url=base,
        archives_url=f"{base}/Archives/edgar/data",
        limiter=RateLimiter(10, clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
        **options,
    )


# -- the rate limiter ------------------------------------------------------------------------


def test_the_rate_limiter_allows_ten_requests_in_any_second():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(25):
        limiter.wait()
        times.append(clock.now)
    assert times == [0.0] * 10 + [1.0] * 10 + [2.0] * 5
    assert all(sum(1 for t in times if start <= t < start + 1) <= 10 for start in times)


def test_the_rate_limiter_does_not_wait_for_requests_spread_out():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        limiter.wait()
        clock.now += 0.125  # eight a second
    assert clock.sleeps == []


# -- the client ------------------------------------------------------------------------------


def test_it_fetches_a_companys_ownership_filings_since_a_day(edgar, tmp_path):
    clock = FakeClock()
    result = fetch_ownership(
        client_for(edgar, clock), CIK, tmp_path, since=datetime.date(2020, 1, 1)
    )
    assert [path.name for path in result.paths] == [
        "2024-03-05_0000990001-24-000101.txt",
        "2024-03-06_0000990001-24-000102.txt",
        "2024-03-11_0000990001-24-000104.txt",
        "2024-05-16_0000990001-24-000103.txt",
    ]
    assert result.downloaded == 4 and not result.errors
    requested = [path for path, _ in Edgar.log]
    assert f"/submissions/CIK{CIK}-submissions-001.json" not in requested  # all older than since
    assert not any("000099000124000900" in path for path in requested)  # the 8-K
    assert {agent for _, agent in Edgar.log} == {"Governance Timeline tests tests@example.com"}
    again = fetch_ownership(
        client_for(edgar, clock), CIK, tmp_path, since=datetime.date(2020, 1, 1)
    )
    assert (again.downloaded, again.cached) == (0, 4)


def test_it_reads_the_older_pages_of_submissions(edgar, tmp_path):
    result = fetch_ownership(client_for(edgar, FakeClock()), CIK, tmp_path)
    assert result.paths[0].name == "2012-02-01_0000990001-12-000007.txt"
    assert len(result.paths) == 5


def test_it_retries_a_busy_server_as_retry_after_says(edgar):
    clock = FakeClock()
    Edgar.fail_first = {f"/submissions/CIK{CIK}.json"}
    assert list(client_for(edgar, clock).filings(CIK, since=datetime.date(2024, 1, 1)))
    assert [path for path, _ in Edgar.log].count(f"/submissions/CIK{CIK}.json") == 2
    assert clock.sleeps == [0.0]  # the server's Retry-After: 0


def test_it_backs_off_exponentially_and_gives_up(edgar):
    clock = FakeClock()
    Edgar.busy = {"/busy"}
    with pytest.raises(EdgarError, match="HTTP 503 after 4 attempts"):
        client_for(edgar, clock, retries=3, backoff=1.0).get(f"{edgar}/busy")
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_missing_document_is_an_error_at_once(edgar):
    with pytest.raises(EdgarError, match="HTTP 404"):
        client_for(edgar, FakeClock()).get(f"{edgar}/nothing-here")
    assert len(Edgar.log) == 1


def test_a_user_agent_without_a_contact_is_refused():
    with pytest.raises(EdgarError, match="SEC_USER_AGENT"):
        EdgarClient("python-urllib", data_url="x", archives_url="y")


# -- the command -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_fetches_then_imports(edgar, tmp_path, settings, capsys):
    settings.SEC_USER_AGENT = "Governance Timeline tests tests@example.com"
    settings.SEC_DATA_URL = edgar
    settings.SEC_ARCHIVES_URL = f"{edgar}/Archives/edgar/data"
    call_command(
        "fetch_sec_ownership", "--cik", "990001", "--since", "2024-01-01", "--to", str(tmp_path)
    )
    out = capsys.readouterr().out
    assert "Fetched 4 filings into" in out
    assert "Filings read: 4; applied: 4" in out
    assert AppliedFiling.objects.filter(filed=datetime.date(2024, 3, 5)).exists()
    assert Tenure.objects.filter(person__cik="0000990101", role__slug="ceo").exists()
    call_command(
        "fetch_sec_ownership", "--cik", "990001", "--since", "2024-01-01", "--to", str(tmp_path)
    )
    out = capsys.readouterr().out
    assert "Fetched 0 filings" in out and "4 were already there" in out
    assert "already imported: 4" in out
