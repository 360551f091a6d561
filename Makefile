# Two commands for a fresh machine: `make run` (install + start the app) and `make test`
# (install + run every test). Python 3.11 and Debian; everything else is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test install install-test assets chromium nodejs postgis nginx init bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed assets

install-test: $(VENV)/.installed-test assets chromium nodejs postgis nginx

assets:
	bash scripts/install_assets.sh

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# node from Debian's packages: the tests check and unit-test the map's scripts (static/js) with it (no npm package).
nodejs:
	@command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

# PostgreSQL + PostGIS from Debian's packages, for the tests' throwaway cluster (no service is started here).
postgis:
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis >/dev/null; }

# nginx from Debian's packages, for the many-users browser test (deploy/nginx.conf; no service is started here).
nginx:
	@test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

init: install
	$(PY) -m hotspots init

run: init
	$(PY) -m hotspots.serve --server.port $(PORT)

test: install-test
	$(VENV)/bin/ruff check hotspots pages app.py tests bench scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# Every benchmark of bench/ (gistar compares with esda, a test requirement: hence .installed-test) (long: minutes at full sizes); `make bench QUICK=1` checks they all run.
bench: $(VENV)/.installed-test assets
	$(PY) bench/run.py all $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) static/vendor test-artifacts
