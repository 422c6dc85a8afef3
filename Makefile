# e网清 — every command the README names.
#   make demo   first run: a venv, the pinned packages, SQLite, the demo district, a server on :8000
#   make test   every check CI runs: ruff, migrations up to date, the whole pytest suite
# Production processes (used as-is by docker-compose.yml): make serve, make worker, make beat.
#
# Variables (set on the command line or in the environment):
#   PYTHON        interpreter that creates the venv (python3.11 if present)
#   VENV          where the venv lives (.venv; the Docker image uses /opt/venv)
#   DATABASE_URL  make test / serve / worker / beat use it when set; unset means SQLite
#   REDIS_URL     make test / serve / worker / beat use it when set; unset means tasks run in-process
#   DEMO_DATABASE_URL  the database of make demo (SQLite db.sqlite3 in the checkout)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
MANAGE := $(BIN)/python manage.py

HOST ?= 0.0.0.0
PORT ?= 8000
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
# xdist workers for make test; the suite is xdist-safe (each worker gets its own test database).
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
WEB_CONCURRENCY ?= 3
GUNICORN_TIMEOUT ?= 60
CELERY_CONCURRENCY ?= 2
# Beat's state file (last run times); inside the gitignored venv by default, /data/beat in the Docker image.
CELERY_BEAT_SCHEDULE_FILE ?= $(VENV)/celerybeat-schedule

# The install stamps carry the hash of the lock file and pyproject.toml: installing again is a no-op until either
# changes.
RUNTIME_STAMP := $(VENV)/.installed-runtime-$(shell cat requirements.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements-dev.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)

# Prints pyproject.toml's requirements that the venv does not satisfy (argument "dev": the dev extra too).
define UNMET_PY
import sys, tomllib
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
reqs = project["dependencies"] + (project["optional-dependencies"]["dev"] if sys.argv[1:] == ["dev"] else [])
for req in map(Requirement, reqs):
    try:
        met = req.specifier.contains(version(req.name), prereleases=True)
    except PackageNotFoundError:
        met = False
    if not met:
        print(req)
endef
export UNMET_PY

# pip warns once per package about index folders some machines configure but lack; only that line is dropped.
PIP_NOISE := is ignored: it is neither a file nor a directory
# Install a lock file, then anything pyproject.toml asks for that the lock file does not have yet (a dependency
# added without `make lock`): loudly, constrained by the lock, so the venv still matches pyproject.toml.
# $(1): lock file, $(2): "dev" or "runtime".
define INSTALL_LOCK
	{ $(PIP) install -q -r $(1) 2>&1 1>&3 | { grep -v "$(PIP_NOISE)" || true; } >&2; } 3>&1
	@unmet="$$($(BIN)/python -c "$$UNMET_PY" $(2))"; \
	if [ -n "$$unmet" ]; then \
		echo "WARNING: $(1) lacks what pyproject.toml asks for: $$unmet -- installing it; run make lock" >&2; \
		printf '%s\n' "$$unmet" > $(VENV)/.unmet.txt; \
		$(PIP) install -q -c $(1) -r $(VENV)/.unmet.txt; \
	fi
endef

.PHONY: help demo test lint migrate backup static serve worker worker-sweeps worker-exports worker-assessment \
	worker-notifications beat install install-dev lock clean

help:
	@echo "make demo      run the demo on http://localhost:$(PORT)/ (SQLite, demo district, DEBUG on)"
	@echo "make test      ruff, makemigrations --check, the whole pytest suite (DATABASE_URL/REDIS_URL honoured)"
	@echo "make lint      ruff only"
	@echo "make serve     gunicorn on $(HOST):$(PORT) (production settings: see .env.example)"
	@echo "make worker    a Celery worker of every queue (needs REDIS_URL)"
	@echo "make worker-sweeps / worker-exports / worker-assessment / worker-notifications"
	@echo "               a worker of one queue, with its concurrency and time limits (yaohai/queues.py)"
	@echo "make beat      the Celery beat scheduler, one per deployment (needs REDIS_URL)"
	@echo "make migrate   apply migrations to DATABASE_URL"
	@echo "make backup    back up the database and media with checksums (manage.py restore checks a restore)"
	@echo "make static    collectstatic into DJANGO_STATIC_ROOT (served by WhiteNoise)"
	@echo "make lock      regenerate requirements.lock and requirements-dev.lock from pyproject.toml"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: apt-get install python3.11 python3.11-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(call INSTALL_LOCK,requirements.lock,runtime)
	rm -f $(VENV)/.installed-runtime-*
	touch $@

$(DEV_STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(call INSTALL_LOCK,requirements-dev.lock,dev)
	rm -f $(VENV)/.installed-dev-*
	touch $@

install: $(RUNTIME_STAMP)
install-dev: $(DEV_STAMP)

# ---- first run -------------------------------------------------------------------------------------------------
demo: install
	@echo "==> migrate ($(DEMO_DATABASE_URL))"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) migrate --noinput
	@echo "==> load the demo district"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo
	@echo "==> the demo registry: Langya compound and the rest of the district (first run only)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_registry
	@echo "==> demo party building and co-governance (first run only)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_parties
	@echo "==> the demo passbooks: Langya's alley stewards and volunteers, a year of services and rewards (first run only)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_points
	@echo "==> demo events: a year of history in bulk, the last two weeks through the real services (first run only)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_events 340102 --count 50000 --recent 400
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_events 340103 --count 3000 --recent 60
	@echo "==> demo mediation: a year of cases in 长淮街道 and 铁路一村社区 (first run only; after the events)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_mediation
	@echo "==> the demo resident (mobile 13800000001; sign-in codes go to var/resident_codes.jsonl)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_residents
	@echo "==> the demo city: 合肥市 over 瑶海区 and 庐阳区, its account hefei_officer"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) $(MANAGE) load_demo_city
	@echo "==> http://localhost:$(PORT)/  (Ctrl-C stops)"
	env -u REDIS_URL DJANGO_DEBUG=1 DATABASE_URL=$(DEMO_DATABASE_URL) RESIDENT_CODE_SENDER=residents.senders.FileSender $(MANAGE) runserver $(HOST):$(PORT)

# ---- checks ----------------------------------------------------------------------------------------------------
lint: install-dev
	$(BIN)/ruff check .

# Tests run with DJANGO_DEBUG=1 (plain-HTTP cookies, no HTTPS redirect, a throwaway key); pytest-django still runs
# each test with DEBUG off. tests/test_deploy_settings.py checks the production settings in a subprocess.
test: install-dev
	@echo "==> ruff"
	$(BIN)/ruff check .
	@echo "==> migrations up to date"
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	@echo "==> pytest (database: $${DATABASE_URL:-SQLite}, redis: $${REDIS_URL:-none})"
	DJANGO_DEBUG=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

# ---- production processes --------------------------------------------------------------------------------------
migrate: install
	$(MANAGE) migrate --noinput

# The database and the media with checksums into BACKUP_ROOT (see docs/deployment.md: backups and the restore drill).
backup: install
	$(MANAGE) backup

static: install
	$(MANAGE) collectstatic --noinput

serve: install
	$(BIN)/gunicorn yaohai.wsgi:application --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--timeout $(GUNICORN_TIMEOUT) --access-logfile - --error-logfile - --no-control-socket

# One worker of every queue (one machine), or one worker per queue (several machines; yaohai/queues.py gives each
# its queues, concurrency and time limits; docs/deployment.md). Beat stays one per deployment.
worker: install
	$(BIN)/celery -A yaohai worker --loglevel=INFO --concurrency=$(CELERY_CONCURRENCY) $$($(BIN)/python -m yaohai.queues all)

worker-sweeps worker-exports worker-assessment worker-notifications: worker-%: install
	$(BIN)/celery -A yaohai worker --loglevel=INFO $$($(BIN)/python -m yaohai.queues $*)

beat: install
	$(BIN)/celery -A yaohai beat --loglevel=INFO --schedule=$(CELERY_BEAT_SCHEDULE_FILE)

# ---- maintenance -----------------------------------------------------------------------------------------------
# Installs pyproject's ranges (newest allowed versions) into a scratch venv and freezes it.
LOCK_VENV := $(abspath $(VENV))/.lock-venv
LOCK_HEADER = printf '%s\n' \
	"\# Pinned $(1) of pyproject.toml, with every transitive dependency, for Linux and CPython 3.11." \
	"\# Install with: pip install -r $(2)" \
	"\# Regenerate after changing pyproject.toml: make lock (installs pyproject's ranges into a scratch venv" \
	"\# and freezes it; review the diff, then run make test)."
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"]))' > $(LOCK_VENV)/runtime.in
	$(LOCK_VENV)/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["optional-dependencies"]["dev"]))' > $(LOCK_VENV)/dev.in
	$(LOCK_VENV)/bin/pip install -q --disable-pip-version-check -r $(LOCK_VENV)/runtime.in
	{ $(call LOCK_HEADER,runtime dependencies ([project].dependencies),requirements.lock); \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable; } > requirements.lock
	$(LOCK_VENV)/bin/pip install -q --disable-pip-version-check -r $(LOCK_VENV)/runtime.in -r $(LOCK_VENV)/dev.in
	{ $(call LOCK_HEADER,runtime + dev dependencies ([project].dependencies and the dev extra),requirements-dev.lock); \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable; } > requirements-dev.lock
	rm -rf $(LOCK_VENV)
	git diff --stat -- requirements.lock requirements-dev.lock

clean:
	rm -rf test-artifacts staticfiles .pytest_cache .ruff_cache
