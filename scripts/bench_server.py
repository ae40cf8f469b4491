"""The app under a real gunicorn for the benchmarks, and timed HTTP requests against it.

Server(database_url, page_cache=...) starts gunicorn on a free loopback port with the project's
gunicorn.conf.py when the checkout has one, else `--workers 2 --threads 4 -k gthread`, in
production settings (DEBUG off, PLAIN_HTTP on), and stops its whole process group on exit.
time_page() times requests one after another, each on a new connection, measured at the
client (connect, request, whole body read) over loopback.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONF = ROOT / "gunicorn.conf.py"
FALLBACK = ["--workers", "2", "--threads", "4", "-k", "gthread"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, page_cache: bool, static_root: Path | None = None) -> dict:
    """The environment of the app in production settings, on the given database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PLAIN_HTTP": "true",
        "PAGE_CACHE": "true" if page_cache else "false",
        "DJANGO_SETTINGS_MODULE": "governance.settings",
    }
    if static_root is not None:
        env["STATIC_ROOT"] = str(static_root)
    return env


def gunicorn_command(port: int) -> tuple[list[str], str]:
    """The command line, and how it was configured (for the report)."""
    command = [str(BIN / "gunicorn"), "governance.wsgi", "-b", f"127.0.0.1:{port}"]
    if CONF.exists():
        return [*command, "-c", str(CONF)], "gunicorn.conf.py"
    return [*command, *FALLBACK], " ".join(FALLBACK)


class Server:
    """gunicorn serving the app; a context manager. url(path) is the full address of path."""

    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.port = free_port()
        self.command, self.config = gunicorn_command(self.port)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {self.log}")
            if self.workers() and request(self.port, "/healthz", timeout=5).status:
                return
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.port = free_port()
        self.command, self.config = gunicorn_command(self.port)
        self.start()

    def workers(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text().split()) if children.exists() else 0


@dataclass
class Response:
    status: int  # 0: no answer (timed out, or the connection dropped)
    seconds: float
    body: bytes = b""
    error: str = ""


def request(port: int, path: str, cookie: str = "", timeout: float = 30) -> Response:
    """GET path on a new connection; the time from connecting to the last byte of the body."""
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return Response(response.status, time.perf_counter() - started, body)
    except (OSError, http.client.HTTPException) as error:
        return Response(0, time.perf_counter() - started, error=type(error).__name__)
    finally:
        conn.close()


@dataclass
class Timing:
    """Requests to one page: their times in ms, and what went wrong if anything."""

    samples: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    error: str = ""

    @property
    def p50(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        return percentile(self.samples, 95) if self.samples else None

    def as_dict(self) -> dict:
        return {
            "n": len(self.samples),
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "statuses": self.statuses,
            "error": self.error,
        }


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest value with pct% of values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def time_page(
    server: Server,
    path: str,
    requests: int,
    budget: float,
    timeout: float,
    cookie: str = "",
    warmups: int = 2,
) -> Timing:
    """requests timed GETs of path after warmups untimed ones, within budget seconds (at least
    one timed request). A request that times out ends the page and restarts the server, so
    that the request still running there does not slow the next page down."""
    timing = Timing()
    started = time.monotonic()
    for _ in range(warmups):
        answer = request(server.port, path, cookie, timeout)
        if answer.status == 0:
            timing.error = f"no answer in {timeout:.0f} s"
            server.restart()
            return timing
        if answer.seconds > budget / 4:
            break  # a slow page: its first request warmed what there is to warm
    started = time.monotonic()
    while len(timing.samples) < requests:
        answer = request(server.port, path, cookie, timeout)
        timing.statuses[answer.status] = timing.statuses.get(answer.status, 0) + 1
        if answer.status == 0:
            timing.error = f"no answer in {timeout:.0f} s"
            server.restart()
            break
        timing.samples.append(answer.seconds * 1000)
        if time.monotonic() - started > budget:
            break
    bad = {status: n for status, n in timing.statuses.items() if status not in (0, 200)}
    if bad and not timing.error:
        timing.error = "status " + ", ".join(f"{status} ×{n}" for status, n in bad.items())
    return timing
