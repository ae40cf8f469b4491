"""`make run`: the development server and the task worker together, stopped together.

Each runs in a process group of its own, so that stopping it also stops the child its
autoreloader starts, and Ctrl-C reaches this launcher alone. Ctrl-C or SIGTERM stops both; so
does either one exiting.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("PORT", "8000")
COMMANDS = {
    "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}"],
    # Not under the autoreloader, which would SIGKILL it mid-job when told to stop.
    "worker": [sys.executable, "manage.py", "db_worker", "--no-reload"],
}
# Told to stop, a worker finishes its job first; told again, it abandons the job (which rolls
# back and is marked failed). Each step waits this long before the next; then SIGKILL.
GRACE_SECONDS = 5


class Stop(Exception):
    pass


def _stop(signum, frame):
    raise Stop


def main() -> int:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    processes: list[subprocess.Popen] = []
    try:
        for command in COMMANDS.values():
            processes.append(subprocess.Popen(command, cwd=ROOT, process_group=0))
        while True:
            for name, process in zip(COMMANDS, processes, strict=True):
                if process.poll() is not None:
                    print(f"run.py: the {name} stopped (exit {process.returncode})", flush=True)
                    return process.returncode or 1
            time.sleep(0.5)
    except Stop:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _terminate(processes)


def _terminate(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to each process group, again after a grace time, then SIGKILL."""
    for signum in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        for process in processes:
            _signal_group(process, signum)
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline:
            for process in processes:
                process.poll()  # reaps a group leader that exited, which else stays in its group
            if not any(_signal_group(process, 0) for process in processes):
                return
            time.sleep(0.1)


def _signal_group(process: subprocess.Popen, signum: int) -> bool:
    """Send the signal to the process's group; False if nothing is left in it."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
