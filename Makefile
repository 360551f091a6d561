# Two commands for a fresh machine: `make run` (install + start the app) and `make test`
# (install + run every test). Python 3.11 and Debian; everything else is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test install install-test assets chromium nodejs postgis nginx init bench clean mo translations

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

# Translations (hotspots/locale/<lang>/LC_MESSAGES/messages.po; README "Adding a language").
LOCALE ?= hotspots/locale
BABEL := $(PY) -m babel.messages.frontend -q

# Compile every catalog to the .mo the app reads (run by `make run` and `make test`; .mo files are not committed).
mo: $(VENV)/.installed
	$(BABEL) compile -d $(LOCALE)

# After changing texts in the code, or to add a language: extract the message ids (babel.cfg, keywords from
# hotspots.base.i18n.KEYWORDS) into messages.pot, merge them into every catalog, compile.
translations: $(VENV)/.installed
	$(BABEL) extract -F babel.cfg --no-default-keywords --sort-output --no-location -o $(LOCALE)/messages.pot \
		$$($(PY) -c 'from hotspots.base.i18n import KEYWORDS; print(" ".join("-k " + k for k in KEYWORDS))') .
	$(BABEL) update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-fuzzy-matching --ignore-pot-creation-date --ignore-obsolete
	$(BABEL) compile -d $(LOCALE)

init: install mo
	$(PY) -m hotspots init

run: init
	$(PY) -m hotspots.serve --server.port $(PORT)

test: install-test mo
	$(VENV)/bin/ruff check hotspots pages app.py tests bench scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# Every benchmark of bench/ (gistar compares with esda, a test requirement: hence .installed-test) (long: minutes at full sizes); `make bench QUICK=1` checks they all run.
bench: $(VENV)/.installed-test assets
	$(PY) bench/run.py all $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) static/vendor test-artifacts
