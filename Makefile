# Two entry points for people (`make demo`, `make test`); the rest are the steps they share.
# Everything installs into ./.venv and ./node_modules; system packages come from apt when run as root.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp
TEST_STAMP := $(VENV)/.stamp-test
REANA_CLIENT_ENV ?= $(HOME)/.local/share/jupyter/reana_openbis_lab/reana-client-env
#: Test-only: reana-client 0.95.0a6 with reana-commons 0.95.0a26 (the 0.95 protocol's client and
#: official specification); like reana-client, it cannot live beside JupyterLab 4.
REANA_CLIENT_095_ENV ?= $(HOME)/.local/share/jupyter/reana_openbis_lab/reana-client-0.95-env
REANA_CLIENT_095 := reana-client==0.95.0a6 reana-commons==0.95.0a26
#: The REANA route tests that run a second time against the sandbox's 0.95 protocol.
REANA_095_TESTS := test_workflows or test_run or test_workspace or test_real_server_faults or test_client or test_validate or test_quota or test_secrets or test_retention or test_server_info or test_ignore_files or test_logs_steps
#: Every setup step's full output goes here; the terminal shows one line per step.
SETUP_LOG := build/setup.log
JUPYTERLAB := jupyterlab>=4.4,<5
#: The Python versions CI tested, for both distributions and all their extras (`make lock` refreshes it).
LOCK := constraints.txt
PIP_INSTALL := $(BIN)/pip install --constraint $(LOCK)
TEST_EXTRAS := .[test,dev]
#: The Python trees: the product, the sandbox distribution, the tests and the benchmarks.
PYTHON_SOURCES := reana_openbis_lab sandbox tests bench
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

# pip copies the labextension into the venv; a link keeps it in step with later builds. pip
# writes through an existing link into reana_openbis_lab/labextension, and a second editable
# install then finds install.json twice: every editable install goes unlink, install, link.
LABEXTENSION_LINK := $(VENV)/share/jupyter/labextensions/reana-openbis-lab
UNLINK_LABEXTENSION := rm -f $(LABEXTENSION_LINK) reana_openbis_lab/labextension/install.json
LINK_LABEXTENSION := $(BIN)/jupyter labextension develop --overwrite .

# $(call step,what,command): run `command` quietly, its output appended to SETUP_LOG; on
# failure show the log's end and name the file.
define step
	@mkdir -p $(dir $(SETUP_LOG)); printf '%s ... ' "$(1)"; \
	echo "==== $(1)" >> $(SETUP_LOG); \
	if ( $(2) ) >> $(SETUP_LOG) 2>&1; then echo ok; \
	else echo FAILED; tail -n 25 $(SETUP_LOG); echo "full output: $(SETUP_LOG)"; exit 1; fi
endef

.PHONY: lock demo test bench setup demo-setup system demo-system apt-packages python test-python node reana-client reana-client-095 ui-deps build lint pytest jest galata clean

demo: demo-setup ## start the sandboxes and JupyterLab connected to them (Ctrl-C stops everything)
	$(BIN)/python -m reana_openbis_lab_sandbox.demo

test: setup lint pytest jest galata ## set up and run every test suite
	@echo "make test: all suites passed"

bench: system test-python reana-client ui-deps ## every benchmark, one table (not part of make test); BENCH_ARGS="--runs 5 --only listing"
	REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)

#: What the demo needs: the extension, the sandbox distribution and reana-client; no test tools, no browser.
demo-setup: demo-system python reana-client

#: Everything the test suites need on top.
setup: system test-python reana-client reana-client-095 ui-deps

demo-system: ## Debian packages: sshfs + fuse3 for the data store mount
	@$(MAKE) --no-print-directory apt-packages COMMANDS="sshfs fusermount3" PACKAGES="sshfs fuse3"

system: ## Debian packages: also chromium for Galata
	@$(MAKE) --no-print-directory apt-packages COMMANDS="chromium sshfs fusermount3" PACKAGES="chromium sshfs fuse3"

apt-packages:
	@missing=""; \
	for cmd in $(COMMANDS); do command -v $$cmd >/dev/null || missing="$$missing $$cmd"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    mkdir -p $(dir $(SETUP_LOG)); printf 'installing Debian packages %s ... ' "$(PACKAGES)"; \
	    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PACKAGES)) >> $(SETUP_LOG) 2>&1; \
	    then echo ok; else echo FAILED; echo "full output: $(SETUP_LOG)"; exit 1; fi; \
	  else \
	    echo "missing:$$missing; install the Debian packages $(PACKAGES) (or your system's equivalents)"; exit 1; \
	  fi; \
	fi

python: $(STAMP)

$(STAMP): pyproject.toml sandbox/pyproject.toml $(LOCK) package.json yarn.lock
	$(call step,creating .venv,test -x $(BIN)/python || $(PYTHON) -m venv $(VENV))
	$(call step,installing pip and JupyterLab,$(BIN)/pip install --upgrade pip && $(PIP_INSTALL) "$(JUPYTERLAB)")
	$(call step,installing the frontend's node packages,$(BIN)/jlpm install --immutable)
	$(call step,building and installing reana_openbis_lab,$(UNLINK_LABEXTENSION) && $(PIP_INSTALL) -e .)
	$(call step,installing the sandbox distribution (test rig and demo),$(PIP_INSTALL) -e "./sandbox[all]")
	$(call step,linking the labextension,$(LINK_LABEXTENSION))
	@touch $(STAMP)

test-python: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP)
	$(call step,installing the test and lint tools,$(UNLINK_LABEXTENSION) && $(PIP_INSTALL) -e "$(TEST_EXTRAS)" && $(LINK_LABEXTENSION))
	@touch $(TEST_STAMP)

reana-client: python ## the separate environment where reana-client lives
	$(call step,installing reana-client in its own environment,REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) $(BIN)/jupyter reana-openbis-lab install-reana-client --path $(REANA_CLIENT_ENV))

reana-client-095: $(REANA_CLIENT_095_ENV)/.stamp

$(REANA_CLIENT_095_ENV)/.stamp:
	$(call step,installing reana-client 0.95.0a6 in its own test-only environment,rm -rf $(REANA_CLIENT_095_ENV) && $(PYTHON) -m venv $(REANA_CLIENT_095_ENV) && $(REANA_CLIENT_095_ENV)/bin/pip install $(REANA_CLIENT_095))
	@touch $@

ui-deps: ui-tests/node_modules/.stamp

ui-tests/node_modules/.stamp: ui-tests/package.json ui-tests/yarn.lock $(STAMP)
	$(call step,installing the UI tests' node packages,cd ui-tests && ../$(BIN)/jlpm install --immutable)
	@touch $@

lock: ## re-resolve constraints.txt after editing dependencies (keeps other pins); LOCK_ARGS=--upgrade moves every pin
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(PIP_INSTALL) uv
	$(BIN)/uv pip compile pyproject.toml sandbox/pyproject.toml --all-extras --universal \
	  --python-version 3.10 --quiet --output-file $(LOCK) $(LOCK_ARGS)

build: python ## rebuild the frontend after changes in src/
	$(BIN)/jlpm build

lint: test-python
	$(BIN)/ruff check $(PYTHON_SOURCES)
	$(BIN)/ruff format --check $(PYTHON_SOURCES)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/deptry reana_openbis_lab
	cd sandbox && ../$(BIN)/deptry .
	$(BIN)/jlpm lint:check

pytest: test-python reana-client reana-client-095
	REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) REANA_CLIENT_095_ENV=$(REANA_CLIENT_095_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider
	@# the REANA route tests again, against the sandbox speaking the 0.95 protocol
	REANA_OPENBIS_LAB_SANDBOX_REANA_API=0.95 REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/reana -k "$(REANA_095_TESTS)"

jest: test-python
	$(BIN)/jlpm test

galata: test-python ui-deps build
	cd ui-tests && REANA_CLIENT_ENV=$(REANA_CLIENT_ENV) ../$(BIN)/jlpm playwright test

clean:
	rm -rf $(VENV) build node_modules ui-tests/node_modules lib reana_openbis_lab/labextension tsconfig.tsbuildinfo
