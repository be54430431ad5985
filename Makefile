# jixiao — two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Debian packages: CJK fonts (and a 楷体 substitute) for documents, HarfBuzz's subsetter so WeasyPrint
# subsets fonts natively, poppler for PDF checks, Chromium for browser tests, gettext for the
# check that every UI string has its English translation, postgresql-client (pg_dump, pg_restore)
# for the backup and restore commands and their test.
DEBIAN_RUN := fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
DEBIAN_TEST := $(DEBIAN_RUN) poppler-utils chromium gettext postgresql-client

.PHONY: run serve test venv deps-run deps-test lint typecheck check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python

deps-run: venv
	@bash scripts/install-debian.sh $(DEBIAN_RUN)
	$(BIN)/pip install --quiet -e .

deps-test: venv
	@bash scripts/install-debian.sh $(DEBIAN_TEST)
	$(BIN)/pip install --quiet -e '.[test]'

run: deps-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@# The demo is a development server: DEBUG on, so the development SECRET_KEY is allowed (with DEBUG
	@# off jixiao refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS).
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: gunicorn, a Celery worker and beat, against PostgreSQL and
# Redis on 127.0.0.1, DEBUG off, static files collected (scripts/serve.sh; docs/deploy.md).
serve: deps-run
	@PORT=$(PORT) bash scripts/serve.sh

# The whole suite on SQLite and on PostgreSQL side by side (when one answers on 127.0.0.1:5432), then lint.
test: deps-test
	@bash scripts/test.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy scoring jixiao config

# LibreOffice is installed for the benchmark only: it is the baseline our PDF path is compared with.
bench: deps-test
	@bash scripts/install-debian.sh libreoffice-writer-nogui
	$(BIN)/python bench/report_package.py
	@for b in bench/audit_throughput.py bench/web_pages.py; do [ ! -f $$b ] || $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
