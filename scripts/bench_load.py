"""make load: requests/s under wrk for a company page, a person page and a search, with the
page cache warm, against the bare /healthz view measured in the same run as the baseline.

gunicorn serves the app as in make bench (scripts/bench_server.py) with PAGE_CACHE on; each
page is requested a few times first so that every worker has it cached; then wrk runs for
--seconds on each URL in turn, /healthz first. The goal (Scale issue): a cached company page
serves at least half the bare view's requests/s. Prints a markdown table and writes it to
test-output/load.md.

    python scripts/bench_load.py [--database gt_bench] [--seconds 30] [--connections 8]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench import database_url, log
from bench_server import Server, app_env, request

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.5


def wrk(port: int, path: str, seconds: int, connections: int, threads: int) -> dict:
    """wrk's requests/s, mean latency and non-2xx count for one URL."""
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            # wrk's own default (2 s) counts a slower page as an error, not as a request.
            "--timeout",
            "30s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    latency = re.search(r"Latency\s+([\d.]+\w+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:(.*)", text)
    return {
        "rate": float(rate.group(1)) if rate else 0.0,
        "latency": latency.group(1) if latency else "?",
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="gt_bench")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "load.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("make load needs wrk: apt-get install wrk (the Debian package)")

    out = args.out.parent
    out.mkdir(parents=True, exist_ok=True)
    env = app_env(database_url(args.database), True, out / "bench-static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    targets_file = out / "load-targets.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_pages.py"),
            "targets",
            "--out",
            str(targets_file),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    targets = {"bare view": "/healthz", **json.loads(targets_file.read_text())}
    results = {}
    with Server(env, out / "gunicorn-load.log") as server:
        for path in targets.values():
            for _ in range(4 * max(server.workers(), 1)):
                answer = request(server.port, path)
                if answer.status != 200:
                    raise SystemExit(f"{path} answered {answer.status or answer.error}")
        for name, path in targets.items():
            log(f"wrk {args.seconds} s, {args.connections} connections: {name} {path}")
            results[name] = wrk(server.port, path, args.seconds, args.connections, args.threads)
            log(f"  {results[name]['rate']:,.0f} requests/s")
        config = server.config

    bare = results["bare view"]["rate"] or 1.0
    lines = [
        f"# make load — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{os.cpu_count()} cores; gunicorn ({config}), page cache on and warm; database "
        f"`{args.database}`; wrk -t{args.threads} -c{args.connections} -d{args.seconds}s on the "
        "same machine.",
        "",
        "| page | URL | requests/s | mean latency | non-2xx | socket errors | ratio to the bare view | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, path in targets.items():
        result = results[name]
        ratio = result["rate"] / bare
        goal = "—"
        if name == "company":
            goal = f"≥ {GOAL:.0%}: " + ("met" if ratio >= GOAL else "NOT MET")
        lines.append(
            f"| {name} | `{path}` | {result['rate']:,.{0 if result['rate'] >= 100 else 1}f} | "
            f"{result['latency']} | "
            f"{result['non_2xx']} | {result['socket_errors'] or 0} | {ratio:.{0 if ratio >= 0.1 else 1}%} | {goal} |"
        )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
