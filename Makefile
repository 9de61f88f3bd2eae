# Every target makes .venv and installs what it needs, so a fresh machine needs only
# python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-all test-sqlite test-postgres lint bench examples docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web app on SQLite (var/fairload.sqlite3, or FAIRLOAD_DATA_DIR) with the demo schools
# and one login per role, and beside it the worker that sends the notification emails
# (printed in this console); Ctrl-C stops both. `make run PORT=8123` for another port.
PORT ?= 8000
run: $(STAMP)
	FAIRLOAD_ENV=development $(BIN)/fairload-web migrate --noinput
	FAIRLOAD_ENV=development $(BIN)/fairload-web load_demo
	@echo "\nfairload is at http://127.0.0.1:$(PORT)/ (Ctrl-C to stop it and its worker)"
	FAIRLOAD_ENV=development FAIRLOAD_SITE_URL=http://127.0.0.1:$(PORT) \
	  $(BIN)/fairload-web run_with_worker 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m django check --settings fairload.web.test_settings
	$(BIN)/lint-imports

# Everything on SQLite, and the web tests again on a throwaway PostgreSQL cluster
# (skipped, with the reason printed, where the PostgreSQL server programs are absent).
# By default the tests marked slow are left out (the browser journeys, every load of the
# whole demo, the walks of every page for the whole cast, the PDF renderings, the
# processes started: a few minutes more on 2 cores); CI runs them (.ci/run sets
# FAIRLOAD_SUITE=full), as does `make test-all`.
# On PostgreSQL, `make test` runs the modules whose subject is what a database does
# (locks and races, the audit log's triggers, migrations, a failed import rolled back,
# ballots' one vote each, the case ladder's locked steps); CI and `make test-all` run
# every web test there.
# The lint and the two runs go side by side (make -j3): the lint is one process and a
# run's start and end leave a core idle, so together they take less time than one after
# another. Each one's output is printed whole when it ends; `make test` fails if any
# fails. `make lint`, `make test-sqlite` and `make test-postgres` run one of them.
SUITE_SELECT = $(if $(filter full,$(FAIRLOAD_SUITE)),,-m "not slow")
POSTGRES_QUICK = $(addprefix tests/web/,test_ballots_concurrency.py test_concurrent_edits.py \
  test_imports_concurrency.py test_audit.py test_migrations.py test_notices.py \
  test_ballots.py test_ballots_secrecy.py test_import_service.py test_imports_limits.py \
  test_pending_uploads.py test_disputes_ladder.py test_api_tokens.py test_people.py)
POSTGRES_SELECT = $(if $(filter full,$(FAIRLOAD_SUITE)),tests/web,$(SUITE_SELECT) $(POSTGRES_QUICK))
# xdist hands out whole files, so a module's shared setup (SHARED_SETUP) is built once, not on
# both workers. Not in the full suite (CI): there the fuzz module's 1,800 cases an importer
# are one file, and on one worker they doubled the run (27 minutes against 12).
XDIST = -n 2 $(if $(filter full,$(FAIRLOAD_SUITE)),,--dist loadfile)
# `make test`'s PostgreSQL run is one process: its 119 tests are mostly waits on locks
# and threads (63 s of wall clock to 48 s of CPU), which the SQLite run beside it fills,
# and a second worker would apply the migrations a second time (10 s of CPU).
POSTGRES_XDIST = $(if $(filter full,$(FAIRLOAD_SUITE)),$(XDIST),-n 0)
# The full suite (CI) runs its parts one after another: its browser journeys and races
# keep their timings when they are not sharing the 2 cores with a second test run.
TEST_JOBS = $(if $(filter full,$(FAIRLOAD_SUITE)),1,3)
test: $(STAMP)
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target lint test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(BIN)/pytest $(XDIST) --no-migrations $(SUITE_SELECT)

test-postgres: $(STAMP)
	$(BIN)/python scripts/throwaway_postgres.py -- $(BIN)/pytest $(POSTGRES_XDIST) $(POSTGRES_SELECT)

test-all:
	$(MAKE) test FAIRLOAD_SUITE=full

# The peers `make bench` compares with live in their own venv: openfisca-core is AGPL
# and never a dependency of fairload (not in pyproject.toml's main or dev extras).
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): bench/peers/requirements.txt
	$(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -r bench/peers/requirements.txt \
	  || echo "bench: could not install the peers in $(BENCH_VENV); make bench says why"
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench.run --peer-python $(BENCH_VENV)/bin/python

examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

docs: $(STAMP)
	$(BIN)/python scripts/make_coverage.py
	$(BIN)/python scripts/make_pack_reference.py
	$(BIN)/python scripts/make_bank_holidays.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .mypy_cache .ruff_cache
