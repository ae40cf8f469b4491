# The README's two commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Needs Python 3.11 ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

# The demo, only into a database with no companies and only while LOAD_DEMO is on (the default in
# debug): a demo record an editor deleted stays deleted across restarts.
demo: migrate
	$(BIN)/python manage.py loaddemo --at-start

# The web server and the task worker (the admin's CSV import runs there); Ctrl-C stops both.
# `make run PORT=8101` serves on another port.
PORT ?= 8000
run: demo
	@PORT=$(PORT) $(BIN)/python manage.py ensure_admin
	PORT=$(PORT) $(BIN)/python scripts/run.py

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles test-output .pytest_cache

# Fills the gt_bench PostgreSQL database with the synthetic record of generate_synthetic (10,000
# companies, 200,000 people, 1,000,000 tenures; kept between runs) and times the CSV export (HTTP
# under gunicorn, the command, and psql COPY). A script, not a test; see docs/csv.md.
# Another database or size: .venv/bin/python scripts/bench_export.py --help.
.PHONY: bench-export
bench-export: install
	$(BIN)/python scripts/bench_export.py

# Every page (p50/p95 through gunicorn, SQL floor, query count), the import and the export, on
# PostgreSQL at two sizes: gt_bench_small (~100,000 tenures; built if missing) and gt_bench (the
# 1,000,000 tenures of make bench-export; --build-full builds it). Prints a markdown table with
# the Scale issue's goals, also written to test-output/bench.md. Options:
#   make bench BENCH_ARGS="--full-db gt_synth --requests 30"   (.venv/bin/python scripts/bench.py --help)
.PHONY: bench load
bench: install
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# wrk for 30 s each on a company page, a person page and a search (page cache warm) and on the
# bare /healthz view, the baseline; test-output/load.md. LOAD_ARGS="--database NAME".
load: install
	@command -v wrk >/dev/null 2>&1 || { echo "make load needs wrk: apt-get install wrk (Debian package)"; exit 1; }
	$(BIN)/python scripts/bench_load.py $(LOAD_ARGS)
