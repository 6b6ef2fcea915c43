# Two commands for a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint messages makemessages check-translations demo chromium gettext clean help

help:
	@echo "make run    install, migrate, load the demo and serve http://127.0.0.1:$(PORT)"
	@echo "make test   install with the dev extra, lint, and run the whole test suite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

# Compiled catalogues are built, never committed. msgfmt comes from GNU gettext.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing GNU gettext (msgfmt) with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "msgfmt (GNU gettext) is missing: install the 'gettext' package, then run make again." >&2; exit 1; \
	  fi; }

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | gettext
	msgfmt --check -o $@ $<

messages: $(MO_FILES)

# Extract new strings into the six catalogues (then translate them all before committing).
makemessages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages --no-obsolete --no-location \
	  -l ar -l zh_Hans -l en -l fr -l ru -l es --ignore=".venv/*" --ignore="tests/*"

check-translations: | gettext
	@fail=0; for po in $(PO_FILES); do \
	  stats=$$(msgfmt --statistics -o /dev/null $$po 2>&1); \
	  case "$$stats" in *fuzzy*|*untranslated*) echo "$$po: $$stats" >&2; fail=1;; esac; \
	done; exit $$fail

# Browser tests drive Debian's Chromium; Playwright cannot download browsers here.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install Debian's 'chromium' package (apt-get install chromium), then run make test again." >&2; exit 1; \
	  fi; }

demo: $(VENV)/.installed messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --base-url http://127.0.0.1:$(PORT)

run: demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: $(VENV)/.installed-dev messages check-translations chromium lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) $(MO_FILES) staticfiles .pytest_cache .ruff_cache
