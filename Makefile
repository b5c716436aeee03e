# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
HOST ?= 127.0.0.1
PHONES ?=
# Test processes: the browser tests mostly wait on pages and sockets, so more processes than
# cores pay off; each test file stays in one process (its module fixtures start servers).
JOBS ?= 4
# Some machines set PYTHONDONTWRITEBYTECODE: then every test process (and every server a
# browser test starts) compiles the project and rewrites the test modules afresh, ~5 s of CPU
# each. The caches land in __pycache__/ (ignored by git).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint format bench chromium nginx clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(BIN)/facilitator run

# Browser tests need Debian's Chromium; install it when it is missing (needs root or sudo).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The server-mode tests run nginx with the shipped config (deploy/nginx/); install it likewise.
nginx:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null || { \
	  echo "Installing Debian's nginx for the server-mode tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null; }

test: $(STAMP) chromium nginx
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	PHONES=$(PHONES) $(BIN)/python -m tests.bench.live_bench

clean:
	rm -rf $(VENV) build *.egg-info
