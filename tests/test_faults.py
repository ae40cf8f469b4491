"""Faults: the database out of reach gives a 503 page, not a traceback, and the app recovers by
itself when it is back; an import killed mid-file leaves the database as it was.

PostgreSQL is stopped and started here only on a throwaway cluster each test creates (initdb in
a temporary folder, on a port of its own), never on the server the rest of the suite uses."""

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.app_process import ROOT, free_port, manage, production_environment

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The static files collected, as production serves them (the pages name them by hash)."""
    folder = tmp_path_factory.mktemp("static")
    manage(
        {**production_environment("sqlite://"), "STATIC_ROOT": str(folder)},
        "collectstatic",
        "--no-input",
    )
    return folder


class Server:
    """gunicorn with the project's configuration (one worker) on env's database."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1"]
            + ["-b", f"127.0.0.1:{self.port}", "governance.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not start:\n{log.read_text()}")

    def get(self, path: str) -> tuple[int, dict, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve():
    servers = []

    def start(env: dict, log: Path) -> Server:
        servers.append(Server(env, log))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def assert_unavailable_page(answer: tuple[int, dict, str]) -> None:
    status, headers, body = answer
    assert status == 503, body
    assert headers["Retry-After"] == "30"
    assert "The record is unavailable for a moment" in body
    assert 'href="/static/css/site.' in body  # the site's own page and style
    assert "Traceback" not in body


PAGES = ["/", "/companies/", "/people/", "/changes/", "/export/tenures.csv"]


def test_a_database_on_a_closed_port_gives_the_503_page(serve, static_root, tmp_path):
    server = serve(
        production_environment(f"postgres://postgres@127.0.0.1:{free_port()}/none", static_root),
        tmp_path / "log",
    )
    for path in PAGES:
        assert_unavailable_page(server.get(path))
    # Its style still comes: static files need no database.
    stylesheet = re.search(r'href="(/static/css/site\.[^"]+)"', server.get("/")[2])[1]
    assert server.get(stylesheet)[0] == 200


@pytest.fixture(scope="module")
def sqlite_record(tmp_path_factory) -> Path:
    """A SQLite file holding the demo record (tests copy it)."""
    database = tmp_path_factory.mktemp("sqlite") / "record.sqlite3"
    manage(production_environment(f"sqlite:///{database}"), "migrate", "--no-input")
    manage(production_environment(f"sqlite:///{database}"), "loaddemo")
    return database


@pytest.mark.parametrize("fault", ["not a database", "a folder", "unreadable"])
def test_an_unusable_sqlite_file_gives_the_503_page(
    serve, static_root, sqlite_record, tmp_path, fault
):
    database = tmp_path / "record.sqlite3"
    env = production_environment(f"sqlite:///{database}", static_root)
    if fault == "not a database":
        database.write_bytes(b"this is not an SQLite file" * 100)
    elif fault == "a folder":
        database.mkdir()
    else:
        shutil.copy(sqlite_record, database)
        if os.geteuid() == 0:
            pytest.skip("root reads any file: an unreadable file needs another user")
        database.chmod(0)
    server = serve(env, tmp_path / "log")
    for path in PAGES:
        assert_unavailable_page(server.get(path))


# -- A throwaway PostgreSQL cluster ---------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster of its own in folder, on a free port: initdb, start, stop."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        # initdb and the server refuse to run as root: as the postgres user then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self.as_user, str(POSTGRES_BIN / program), *args], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                 "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/record"


@pytest.fixture(scope="module")
def cluster():
    """A running throwaway cluster holding the demo record, migrated (once: a minute)."""
    if not (POSTGRES_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {POSTGRES_BIN}: no throwaway cluster")
    # Not under pytest's own temporary folder, which only its user may enter.
    folder = Path(tempfile.mkdtemp(prefix="gt-cluster-"))
    try:
        cluster = Cluster(folder)
        cluster.start()
        cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                    "record")  # fmt: skip
        manage(production_environment(cluster.url), "migrate", "--no-input")
        manage(production_environment(cluster.url), "loaddemo")
        yield cluster
    finally:
        subprocess.run(
            [*["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0),
             str(POSTGRES_BIN / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def test_pages_answer_503_while_postgresql_is_down_and_recover_when_it_is_back(
    serve, cluster, static_root, tmp_path
):
    env = production_environment(cluster.url, static_root)
    server = serve(env, tmp_path / "log")
    for path in PAGES:
        assert server.get(path)[0] == 200, path

    cluster.stop()
    for path in PAGES:
        assert_unavailable_page(server.get(path))

    cluster.start()
    for path in PAGES:
        status, _, body = server.get(path)
        assert status == 200, body

    # Restarted between two requests, with the kept connections broken: no request fails.
    cluster.stop()
    cluster.start()
    for path in PAGES * 2:
        status, _, body = server.get(path)
        assert status == 200, body


# -- An import killed mid-file ---------------------------------------------------------------

RECORD_TABLES = [
    "people_person",
    "people_historicalperson",
    "people_othername",
    "governance_company",
    "governance_historicalcompany",
    "governance_tenure",
    "governance_historicaltenure",
    "governance_source",
    "governance_citation",
]


def big_csv(path: Path, rows: int) -> Path:
    lines = ["person,company,role,title,start,end,end_reason,replaces,sources"]
    lines += [f"Person {n},Company {n % 997},director,Director,2001,,,," for n in range(rows)]
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def kill_import_once_writing(env: dict, csv: Path, writing) -> None:
    """Start import_tenures on csv, SIGKILL it as soon as writing() says it is writing."""
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_tenures", str(csv)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not writing():
        assert importer.poll() is None, importer.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    assert importer.returncode == -signal.SIGKILL


def test_an_import_killed_mid_file_leaves_sqlite_as_it_was(sqlite_record, tmp_path):
    database = shutil.copy(sqlite_record, tmp_path / "record.sqlite3")
    env = production_environment(f"sqlite:///{database}")

    def counts() -> dict:
        with sqlite3.connect(database) as db:
            return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES}

    before = counts()
    journal = Path(f"{database}-journal")
    # SQLite keeps a rollback journal while a transaction writes.
    kill_import_once_writing(env, big_csv(tmp_path / "big.csv", 60_000), journal.exists)

    assert counts() == before
    # And the next import runs: nothing was left locked.
    manage(env, "import_tenures", str(big_csv(tmp_path / "small.csv", 10)))
    assert counts()["governance_tenure"] == before["governance_tenure"] + 10


def test_an_import_killed_mid_file_leaves_postgresql_as_it_was(cluster, tmp_path):
    import psycopg

    env = production_environment(cluster.url)
    url = cluster.url.replace("postgres://", "postgresql://")

    def counts() -> dict:
        with psycopg.connect(url) as db:
            return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES}

    def persons_taken() -> int:
        # Keys are taken from the sequence before each batch is written, outside the
        # transaction: the sequence moving says the import is writing.
        with psycopg.connect(url) as db:
            return db.execute("SELECT last_value FROM people_person_id_seq").fetchone()[0]

    before, keys = counts(), persons_taken()
    kill_import_once_writing(
        env, big_csv(tmp_path / "big.csv", 60_000), lambda: persons_taken() > keys
    )

    assert counts() == before
    manage(env, "import_tenures", str(big_csv(tmp_path / "small.csv", 10)))
    assert counts()["governance_tenure"] == before["governance_tenure"] + 10


def test_an_import_on_sqlite_held_off_too_long_says_why_and_writes_nothing(sqlite_record, tmp_path):
    database = shutil.copy(sqlite_record, tmp_path / "record.sqlite3")
    env = production_environment(f"sqlite:///{database}")
    # Another writer holds SQLite's write lock past the 5 s an import waits for it.
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "import_tenures", str(big_csv(tmp_path / "a.csv", 10))],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 1
    assert "another import is writing to the database" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    with sqlite3.connect(database) as db:
        assert not db.execute("SELECT 1 FROM people_person WHERE name = 'Person 0'").fetchall()
