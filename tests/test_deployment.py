"""Settings from the environment, the production checks, and the compose file."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


# Set by this process or its tests (the browser tests allow async-unsafe access); a
# deployment would not have them.
NOT_INHERITED = ("DEBUG", "SECRET_KEY", "PLAIN_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60 + "-production-secret",
    "ALLOWED_HOSTS": "example.com",
}


def test_the_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_plain_http_turns_the_https_settings_off_together_and_still_passes_the_deploy_check():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        PLAIN_HTTP="true",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["False", "False", "False", "0"], result.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", PLAIN_HTTP="true", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY or SECRET_KEY_FILE must be set when DEBUG is false." in result.stderr


def test_it_reads_the_usual_spellings_of_yes_and_no():
    for spelling in ["1", "yes", "On", "TRUE"]:
        result = manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
            DEBUG=spelling,
        )
        assert result.stdout.strip() == "True", (spelling, result.stderr)
    for spelling in ["0", "no", "Off", "false"]:
        result = manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
            DEBUG=spelling,
            SECRET_KEY="x" * 50,
        )
        assert result.stdout.strip() == "False", (spelling, result.stderr)


def test_it_refuses_a_debug_value_it_cannot_read():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert (
        "DEBUG must be one of 1, true, yes, on or 0, false, no, off, not 'maybe'" in result.stderr
    )


def compose_client() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def test_the_compose_client_accepts_the_compose_file():
    client = compose_client()
    if client is None:
        pytest.skip(
            "no docker compose client here; install Debian's docker-compose to run this check"
        )
    result = subprocess.run([*client, "config", "-q"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_compose_file_describes_postgresql_and_the_app():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["db"]["image"] == "postgres:15"
    app = compose["services"]["app"]
    assert app["environment"]["DATABASE_URL"].startswith("postgres://")
    assert app["environment"]["PLAIN_HTTP"] == "${PLAIN_HTTP:-true}"
    assert app["environment"]["LOAD_DEMO"] == "${LOAD_DEMO:-true}"
    assert "loaddemo --at-start" in (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()


@pytest.mark.django_db
def test_the_plain_http_admin_login_works(client, settings, editor):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    client = type(client)(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "editor-pass", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_production_static_files_are_hashed_and_compressed(tmp_path):
    result = manage("collectstatic", "--no-input", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    hashed = [p.name for p in (tmp_path / "css").iterdir() if p.name.startswith("site.")]
    assert any(name.endswith(".css") and name.count(".") == 2 for name in hashed), hashed
    assert any(name.endswith(".css.gz") for name in hashed), hashed
    assert (tmp_path / "staticfiles.json").exists()


def test_the_secret_key_file_is_made_once_private_and_read_back(tmp_path):
    key_file = tmp_path / "secret_key"
    show_key = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage(
        "shell", "--no-imports", "-c", show_key,
        DEBUG="false", ALLOWED_HOSTS="example.com", SECRET_KEY_FILE=str(key_file),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    again = manage(
        "shell", "--no-imports", "-c", show_key,
        DEBUG="false", ALLOWED_HOSTS="example.com", SECRET_KEY_FILE=str(key_file),
    )  # fmt: skip
    assert again.stdout == first.stdout


def test_a_secret_key_file_that_cannot_be_written_is_refused_with_its_path(tmp_path):
    result = manage("check", DEBUG="false", SECRET_KEY_FILE=str(tmp_path / "no" / "such" / "key"))
    assert result.returncode != 0
    assert "cannot be written" in result.stderr and str(tmp_path) in result.stderr


def test_the_compose_file_reads_hosts_and_origins_from_the_environment():
    client = compose_client()
    if client is None:
        pytest.skip("no docker compose client here; install Debian's docker-compose")
    env = {k: v for k, v in os.environ.items() if k not in ("ALLOWED_HOSTS", "SECRET_KEY")}
    env.update(ALLOWED_HOSTS="gov.example.org", CSRF_TRUSTED_ORIGINS="https://gov.example.org")
    result = subprocess.run([*client, "config"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    app = yaml.safe_load(result.stdout)["services"]["app"]["environment"]
    assert app["ALLOWED_HOSTS"] == "gov.example.org"
    assert app["CSRF_TRUSTED_ORIGINS"] == "https://gov.example.org"
    assert app["SECRET_KEY_FILE"] == "/app/var/data/secret_key"


def healthcheck_command() -> list[str]:
    test = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["app"][
        "healthcheck"
    ]["test"]
    assert test[:2] == ["CMD", "python"], test
    return [sys.executable, *test[2:]]


def test_the_compose_healthcheck_passes_against_gunicorn_with_production_settings(tmp_path):
    from tests.app_process import free_port

    port = str(free_port())
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(PRODUCTION, ALLOWED_HOSTS="gov.example.org,localhost", PORT=port)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1"]
        + ["governance.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            result = subprocess.run(healthcheck_command(), env=env, capture_output=True)
            if result.returncode == 0:
                break
            time.sleep(0.2)
        assert result.returncode == 0, result.stderr.decode()
    finally:
        server.terminate()
        server.wait(10)
    # Nothing listening any more: the check fails.
    assert subprocess.run(healthcheck_command(), env=env, capture_output=True).returncode != 0


@pytest.mark.parametrize("path", ["/", "/companies/", "/admin/login/", "/export/people.csv"])
def test_public_and_admin_pages_carry_a_policy_with_nothing_inline(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe" not in policy


def test_gunicorn_collects_garbage_cycles_between_requests_not_during_them():
    import gc
    import runpy
    import weakref

    conf = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    threshold = gc.get_threshold()
    try:
        conf["post_worker_init"](None)
        assert gc.get_threshold()[0] > conf["COLLECT_AFTER"]  # a request runs uncollected

        class Node:
            pass

        def cycles(count):
            nodes = [Node() for _ in range(count)]
            for node in nodes:
                node.me = node
            return weakref.ref(nodes[0])

        few = cycles(10)
        conf["post_request"](None, None, None, None)
        assert few() is not None  # too little to collect for
        many = cycles(conf["COLLECT_AFTER"])
        conf["post_request"](None, None, None, None)
        assert few() is None and many() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
