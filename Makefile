# The verbs a newcomer needs: `make run` starts Kindling, `make test` proves it works.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The one address for the terminal and for every link in emails (an exported SITE_URL wins).
SITE_URL ?= http://localhost:$(PORT)

.PHONY: install run test test-fast lint format demo bench-pages bench-nudges bench-push bench-first-start backup restore clean

# Python may cache compiled modules (.pyc, gitignored): the processes `make run` starts
# then compile Django once between them, not once each (about a second per process).
unexport PYTHONDONTWRITEBYTECODE

# pip straight into a folder: no virtual environment to create first (seconds on a slow disk).
.tools/bin/uv:
	PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
	  python3 -m pip install --quiet --target .tools uv \
	  || { python3 -m venv --clear .tools && .tools/bin/pip install --quiet uv; }

# Two stamps: `make run` needs only the app's packages, the tests and linters the dev
# group too (pytest, Playwright, ruff...). --inexact keeps the dev group once installed.
$(VENV)/.installed-app: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-dev

# The translation catalogs, compiled from the checked-in .po files (config/messages.py).
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%.mo: locale/%.po | $(VENV)/.installed-app
	$(PY) -m config.messages compile

# migrate and load_content skip Django's system checks: runserver runs them a moment later.
run: $(VENV)/.installed-app $(MO)  ## web server first, then Celery worker and beat, on the embedded defaults
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput --skip-checks
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable
	DJANGO_DEBUG=1 $(PY) manage.py load_content --skip-checks
	@echo ""
	@echo "  Kindling is starting: open $(SITE_URL)/"
	@echo "  Emails (sign-up links, nudges) are printed below, in this terminal."
	@echo ""
	@DJANGO_DEBUG=1 PORT=$(PORT) SITE_URL="$(SITE_URL)" $(PY) -m config.dev_processes $(PORT)

# pytest-xdist runs the tests in one process per core (-n auto), each with its own browser.
test: install $(MO)  ## the whole suite; PostgreSQL/Redis tests run when DATABASE_URL/REDIS_URL are set
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

test-fast: install $(MO)  ## without the browser journeys and the real Celery worker: the edit-test loop
	$(PY) -m pytest -n auto -m "not browser and not real_worker and not drill" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: $(VENV)/.installed-app $(MO)  ## two linked demo partners with a few weeks of content (DEBUG only)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable
	DJANGO_DEBUG=1 $(PY) manage.py load_content
	DJANGO_DEBUG=1 SITE_URL="$(SITE_URL)" $(PY) manage.py seed_demo

bench-pages: install  ## couple pages vs a trivial page under gunicorn on PostgreSQL (a few minutes)
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-nudges: install  ## needs PostgreSQL and Redis: DATABASE_URL=postgres://... REDIS_URL=redis://...
	$(PY) bench/nudges.py $(BENCH_ARGS)

bench-push: install  ## push and email through the workers vs a bare webpush() loop; PostgreSQL and Redis as bench-nudges
	$(PY) bench/push.py $(BENCH_ARGS)

bench-first-start:  ## a fresh clone of HEAD to its first page with `make run`, then Ctrl-C (a minute)
	python3 bench/first_start.py $(BENCH_ARGS)

# Backups of the docker compose deployment's database (README, "Backup and restore").
# tests/test_backup.py dumps and restores a real PostgreSQL database with these flags.
COMPOSE ?= docker compose
BACKUP_DIR ?= backups
PG_DUMP_FLAGS := --format=custom --no-owner --no-privileges
PG_RESTORE_FLAGS := --clean --if-exists --no-owner --no-privileges --exit-on-error

# The dump is written aside first, so a failed one never looks like a backup.
backup:  ## compose: dump the database into $(BACKUP_DIR)/kindling-<UTC time>.dump
	mkdir -p $(BACKUP_DIR)
	file=$(BACKUP_DIR)/kindling-$$(date -u +%Y%m%dT%H%M%SZ).dump; \
	  $(COMPOSE) exec -T postgres pg_dump -U kindling -d kindling $(PG_DUMP_FLAGS) > "$$file.partial" \
	  && mv "$$file.partial" "$$file" && echo "Saved $$file"

restore:  ## compose: BACKUP=backups/kindling-....dump, into this stack (new or existing)
	@test -f "$(BACKUP)" || { echo "usage: make restore BACKUP=$(BACKUP_DIR)/kindling-....dump"; exit 2; }
	$(COMPOSE) stop web worker beat
	$(COMPOSE) up -d postgres
	until $(COMPOSE) exec -T postgres pg_isready -U kindling -d kindling; do sleep 1; done
	$(COMPOSE) exec -T postgres pg_restore -U kindling -d kindling $(PG_RESTORE_FLAGS) < "$(BACKUP)"
	$(COMPOSE) up -d

clean:
	rm -rf var/broker var/celerybeat-schedule* .pytest_cache
