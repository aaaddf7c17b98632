# Two entry points for people (`make demo`, `make test`); the rest are the steps they share.
# Everything installs into ./.venv and ./node_modules; system packages come from apt when run as root.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp
REANA_CLIENT_ENV ?= $(HOME)/.local/share/jupyter/reana_openbis_lab/reana-client-env
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test bench setup system python node reana-client ui-deps build lint pytest jest galata clean

demo: setup ## start the sandboxes and JupyterLab connected to them (Ctrl-C stops everything)
	$(BIN)/python -m reana_openbis_lab.sandbox.demo

test: setup lint pytest jest galata ## set up and run every test suite
	@echo "make test: all suites passed"

bench: python reana-client ## every benchmark, one table (not part of make test); BENCH_ARGS="--runs 5 --only listing"
	REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)

setup: system python reana-client ui-deps

system: ## Debian packages: chromium for Galata, sshfs + fuse3 for the data store mount
	@missing=""; \
	for cmd in chromium sshfs fusermount3; do command -v $$cmd >/dev/null || missing="$$missing $$cmd"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium sshfs fuse3 >/dev/null; \
	  else \
	    echo "missing:$$missing; install the Debian packages chromium sshfs fuse3 (or your system's equivalents)"; exit 1; \
	  fi; \
	fi

python: $(STAMP)

$(STAMP): pyproject.toml package.json yarn.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "jupyterlab>=4.4,<5"
	$(BIN)/jlpm install --immutable
	$(BIN)/pip install -q -e ".[test,dev]"
	# pip copies the labextension into the venv once; a link keeps it in step with later builds
	$(BIN)/jupyter labextension develop --overwrite .
	touch $(STAMP)

reana-client: python ## the separate environment where reana-client lives
	REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) $(BIN)/jupyter reana-openbis-lab install-reana-client --path $(REANA_CLIENT_ENV)

ui-deps: ui-tests/node_modules/.stamp

ui-tests/node_modules/.stamp: ui-tests/package.json ui-tests/yarn.lock $(STAMP)
	cd ui-tests && ../$(BIN)/jlpm install --immutable
	touch $@

build: python ## rebuild the frontend after changes in src/
	$(BIN)/jlpm build

lint: python
	$(BIN)/ruff check reana_openbis_lab bench
	$(BIN)/ruff format --check reana_openbis_lab bench
	$(BIN)/jlpm lint:check

pytest: python reana-client
	REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider

jest: python
	$(BIN)/jlpm test

galata: python ui-deps build
	cd ui-tests && REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) ../$(BIN)/jlpm playwright test

clean:
	rm -rf $(VENV) node_modules ui-tests/node_modules lib reana_openbis_lab/labextension tsconfig.tsbuildinfo
