# Credence: `make demo` serves the demo on SQLite; `make test` runs the suite on SQLite and PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
TEST_ENV := SECRET_KEY=test-secret-key-not-for-production-0123456789abcdefghijklmnop DEBUG=0 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 STATIC_MANIFEST=0

.PHONY: demo test test-sqlite test-postgres install install-dev system-deps lock lint bench clean

$(VENV)/bin/uv:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv

# The lock files pin every package with hashes: a fresh machine installs exactly what CI tested.
install: $(VENV)/bin/uv
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements/base.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .

install-dev: $(VENV)/bin/uv
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements/dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .

lock: $(VENV)/bin/uv
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/base.lock
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes -q --extra dev -o requirements/dev.lock

var/secret_key:
	@mkdir -p var && umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key

demo: install var/secret_key
	@export SECRET_KEY="$$(cat var/secret_key)" DEBUG=1 OTP_REQUIRED_ROLES=; \
	$(PY) manage.py migrate --no-input -v 0 && \
	$(PY) manage.py seed_demo && \
	echo "Serving http://127.0.0.1:8000 (Ctrl-C to stop)" && \
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's chromium for the browser tests and PostgreSQL for the second run, installed when missing.
system-deps:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

test: install-dev system-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	$(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	$(TEST_ENV) bin/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check annotator core tests bench

clean:
	rm -rf $(VENV) var staticfiles
