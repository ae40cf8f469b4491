"""A slow client downloads a large tenure export from gunicorn, run with gunicorn.conf.py, in full
even when the download lasts well past the worker timeout."""

import hashlib
import http.client
import socket
import subprocess
import sys
import time

import pytest

from tests.app_process import ROOT, free_port, manage, production_environment

TIMEOUT = 2  # seconds: gunicorn's worker timeout, made small for the test
TENURES = 40_000
TITLE = "Director and member of the audit, compensation and nominating committees " * 2
# Read this many bytes at a time, with a pause between reads: about 1.5 MB/s.
READ_SIZE = 32 * 1024
PAUSE = 0.02

FILL = f"""
from governance.models import Company, Role, Tenure
from people.models import Person
from people.names import normalise_name

company = Company.objects.create(name="Slow Download Inc.")
director = Role.objects.get(slug="director")
persons = Person.objects.bulk_create(
    Person(name=f"Person {{n:04d}}", sort_name=f"{{n:04d}}, Person", slug=f"person-{{n:04d}}",
           search_key=normalise_name(f"Person {{n:04d}}"))
    for n in range(1000)
)
Tenure.objects.bulk_create(
    (Tenure(person=persons[n % 1000], company=company, role=director, title={TITLE!r},
            start=str(1900 + n // 1000)) for n in range({TENURES})),
    batch_size=5000,
)
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    """A SQLite file holding TENURES tenures, and the export the command writes of it."""
    folder = tmp_path_factory.mktemp("slow-download")
    env = production_environment(f"sqlite:///{folder / 'record.sqlite3'}")
    manage(env, "migrate", "--no-input")
    manage(env, "shell", "--no-imports", "-c", FILL)
    manage(env, "export_tenures", "--output", str(folder / "expected.csv"))
    return env, (folder / "expected.csv").read_bytes()


def serve(env: dict, *options: str) -> tuple[subprocess.Popen, int]:
    """gunicorn with the project's configuration, and options overriding it."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-t", str(TIMEOUT)]
        + ["-b", f"127.0.0.1:{port}", "-w", "1", *options, "governance.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("gunicorn did not start")


class _SlowReader(http.client.HTTPConnection):
    """A client with a small receive buffer, so the server can run at most a few MB ahead."""

    def connect(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        self.sock.settimeout(30)
        self.sock.connect((self.host, self.port))


def download_slowly(port: int) -> tuple[int, bytes, float]:
    """GET the whole tenure export at about 1 MB/s: status, body, seconds taken."""
    started = time.monotonic()
    connection = _SlowReader("127.0.0.1", port)
    connection.request("GET", "/export/tenures.csv")
    response = connection.getresponse()
    body = bytearray()
    try:
        while len(body) < 50 * 2**20:  # never more than the record could hold
            chunk = response.read(READ_SIZE)
            if not chunk:
                break
            body += chunk
            time.sleep(PAUSE)
    except (http.client.IncompleteRead, ConnectionError):
        pass  # cut off: what arrived is checked below
    finally:
        connection.close()
    return response.status, bytes(body), time.monotonic() - started


def test_a_slow_client_gets_the_whole_export_past_the_worker_timeout(record):
    env, expected = record
    server, port = serve(env)
    try:
        status, body, seconds = download_slowly(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert status == 200
    lines = body.split(b"\r\n")
    assert len(lines) - 2 == TENURES  # the header, and the empty text after the last CRLF
    assert lines[-2] == expected.split(b"\r\n")[-2]
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert 7 * 2**20 < len(body) < 20 * 2**20
    assert 2 * TIMEOUT < seconds < 30


def test_the_same_download_from_a_sync_worker_is_cut_off(record):
    """What the configuration prevents: the test above really outlasts the timeout."""
    env, expected = record
    # One thread: with more, gunicorn runs gthread workers even when asked for sync ones.
    server, port = serve(env, "-k", "sync", "--threads", "1")
    try:
        status, body, seconds = download_slowly(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert status == 200
    assert len(body) < len(expected)
    assert seconds < 30
