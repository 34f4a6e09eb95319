# The two commands of the README's quick start.
#   make demo   set up and run the main job on the bundled synthetic data
#   make test   set up and run the whole test suite (what .ci/run calls)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo serve test setup system-packages lint bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -e '.[dev,web,linkage,joint,search,snp]'

# Debian packages the registry needs: chromium (browser tests), pango (PDF reports),
# fonts with Arabic glyphs, poppler-utils (pdftoppm). Installed only when missing, as root.
# another apt/dpkg process holding the package lock: wait for it (up to 10 min), do not fail
APT_WAIT := -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3
APT_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install $$missing"; apt-get $(APT_WAIT) update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get $(APT_WAIT) install -y -qq $$missing; \
	else echo "Not root (or no apt-get): not installing $$missing; browser tests and PDF reports will be skipped."; fi

# The worked kinship example, then the registry's demonstration programme on SQLite
# (sites, remains, families, a search already run); in a terminal it then serves the site.
demo: setup
	$(BIN)/nasab demo
	NASAB_DEV=1 $(BIN)/python web/manage.py demo_programme --reset
	@if [ -t 0 ]; then $(MAKE) --no-print-directory serve; \
	 else echo "Run 'make serve' to start the registry at http://127.0.0.1:8000/"; fi

# Development server: debug pages and the public development key, on loopback only; the
# matching worker runs beside it (restarted if it dies, stopped with the server).
serve: setup
	NASAB_DEV=1 NASAB_DEBUG=1 $(BIN)/python web/manage.py serve 127.0.0.1:8000

test: setup
	$(BIN)/python -m pytest -q
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  echo "PostgreSQL answers on 127.0.0.1:5432: web tests again against it"; \
	  DATABASE_URL=$${NASAB_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q tests/web; \
	fi

lint: setup
	$(BIN)/ruff format --check src tests benchmarks web
	$(BIN)/ruff check src tests benchmarks web

bench: setup
	$(BIN)/python benchmarks/lr_speed.py
