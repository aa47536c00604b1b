# Who Said What: every target sets up what it needs. See the README.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SHARED ?= ../shared
# PostgreSQL for the test suite and the benchmarks (trust auth on this machine).
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000
# Local targets run with DEBUG=True (the settings default to production, DEBUG off,
# and refuse to start then without a SECRET_KEY); `make serve` does not.
DEV := DEBUG=True

.PHONY: install run serve worker test test-fast test-browser lint format migrate seed admin-user pg-up rabbitmq-up redis-up chromium axe wrk eval eval-registry eval-topics bench-extract bench-import bench-browse bench-queue bench-load clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV) $(PY) manage.py import_speakers seeds/people.csv
	$(DEV) $(PY) manage.py import_articles seeds/

admin-user: migrate
	$(DEV) $(PY) manage.py ensure_local_admin

run: seed admin-user
	$(DEV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Who Said What is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, user admin, password admin; local use only)"
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn with the settings of the environment (DEBUG off unless it says
# otherwise; SECRET_KEY needed). Migrates and collects the static files first.
serve: install
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi

# An import worker for `import_articles --queue` (Celery on RabbitMQ), on this machine
# like `make run` (DEBUG=True); a deployed worker runs `celery -A config worker` with its
# environment (see the README's deployment section). WORKER_CONCURRENCY processes, one
# per core by default.
WORKER_CONCURRENCY ?= $(shell nproc)
worker: migrate rabbitmq-up
	$(DEV) $(BIN)/celery -A config worker --loglevel INFO --concurrency $(WORKER_CONCURRENCY)

# RabbitMQ and Redis on this machine, started if they are down (as root).
LISTENING = $(PYTHON) -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" 2>/dev/null
rabbitmq-up:
	@$(LISTENING) 5672 || { test "$$(id -u)" = 0 && service rabbitmq-server start >/dev/null; } || { echo "RabbitMQ is not up on 127.0.0.1:5672 (apt-get install rabbitmq-server)" >&2; exit 1; }
	@for i in $$(seq 30); do $(LISTENING) 5672 && exit 0; sleep 1; done; echo "RabbitMQ is not up on 127.0.0.1:5672" >&2; exit 1

redis-up:
	@$(LISTENING) 6379 || { test "$$(id -u)" = 0 && service redis-server start >/dev/null; } || { echo "Redis is not up on 127.0.0.1:6379 (apt-get install redis-server)" >&2; exit 1; }
	@for i in $$(seq 10); do $(LISTENING) 6379 && exit 0; sleep 1; done; echo "Redis is not up on 127.0.0.1:6379" >&2; exit 1

pg-up:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL is not up on 127.0.0.1:5432" >&2; exit 1

chromium:
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 && (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)); } || { echo "Install Debian's chromium (apt-get install chromium) for the browser tests" >&2; exit 1; }

# axe-core, which the browser tests run on every page (npm, pinned in package-lock.json).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { test "$$(id -u)" = 0 && (apt-get install -y npm || (apt-get update && apt-get install -y npm)); } || { echo "Install npm (apt-get install npm) for the accessibility tests" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE)

wrk:
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)); } || { echo "Install Debian's wrk (apt-get install wrk) for bench-load" >&2; exit 1; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite on PostgreSQL (browser tests included), then everything but the browser on SQLite.
test: install pg-up rabbitmq-up redis-up chromium axe lint
	$(DEV) DATABASE_URL=$(PG_URL) $(BIN)/pytest
	$(DEV) DATABASE_URL= $(BIN)/pytest -m "not browser" -q

test-fast: install rabbitmq-up redis-up
	$(DEV) DATABASE_URL= $(BIN)/pytest -m "not browser" -q -x

test-browser: install pg-up chromium axe
	$(DEV) DATABASE_URL=$(PG_URL) $(BIN)/pytest -m browser

eval: install
	$(DEV) $(PY) -m benchmarks.eval --shared $(SHARED)

# The speaker registry of a full polnear-train import, in a scratch PostgreSQL database.
EVAL_REGISTRY_DB ?= wsw_eval_registry
eval-registry: install pg-up
	$(DEV) EVAL_REGISTRY_DATABASE=$(EVAL_REGISTRY_DB) $(PY) -m benchmarks.eval_registry --shared $(SHARED)

eval-topics: install
	$(DEV) $(PY) -m benchmarks.eval_topics --shared $(SHARED)

bench-extract: install
	$(DEV) $(PY) -m benchmarks.bench_extract --shared $(SHARED)

bench-import: install pg-up
	$(DEV) $(PY) -m benchmarks.bench_import --shared $(SHARED)

bench-queue: install pg-up rabbitmq-up
	$(DEV) $(PY) -m benchmarks.bench_queue --shared $(SHARED)

DURATION ?= 60
bench-load: install pg-up redis-up wrk
	$(DEV) $(PY) -m benchmarks.bench_load --shared $(SHARED) --duration $(DURATION)

N ?= 1000000
bench-browse: install pg-up
	$(DEV) $(PY) -m benchmarks.bench_browse --n $(N)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts node_modules
