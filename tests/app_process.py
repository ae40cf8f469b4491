"""The app run in a process of its own, as a deployment runs it: production settings over plain
HTTP on a given database, manage.py commands, a free port to serve on."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url: str, static_root: Path | None = None) -> dict:
    """Production settings, over plain HTTP, on database_url."""
    return {
        **({"STATIC_ROOT": str(static_root)} if static_root else {}),
        # Set by this process or its tests (the browser tests allow async-unsafe access).
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "app-process-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PLAIN_HTTP": "true",
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    """python manage.py ARGS in env, which must succeed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result
