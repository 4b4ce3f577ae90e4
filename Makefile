# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_STAMP := instance/.demo-seeded
# `make run PORT=8000` serves on another port; links in mails follow it (config.py, links.py).
PORT ?= 5000
# The suite runs on both cores (each worker starts its own PostgreSQL); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint translations extract-messages update-catalogues clean

# Runtime dependencies only, for `make run`.
$(BIN)/.runtime-installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Runtime plus test and lint tools, for `make test`.
$(BIN)/.dev-installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(BIN)/.runtime-installed $@

# Compiled catalogues (.mo) are build output, not kept in git.
translations: $(BIN)/.runtime-installed
	$(BIN)/pybabel -q compile -d translations

run: $(BIN)/.runtime-installed translations
	$(FLASK) db upgrade
	@# The demo is loaded once; `flask demo seed` prints the logins, later runs print them again.
	@if [ ! -f $(DEMO_STAMP) ]; then $(FLASK) demo seed && touch $(DEMO_STAMP); else $(FLASK) demo logins; fi
	@echo "Open http://127.0.0.1:$(PORT) in your browser. Stop with Ctrl+C."
	@# One scheduler beside the web server (it scans once at start, then every hour);
	@# the trap stops it when the web server exits, however that happens.
	@# PORT goes to both: the scheduler's mails link to where the site runs.
	@PORT=$(PORT) $(FLASK) scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(BIN)/.dev-installed translations
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.dev-installed
	$(BIN)/ruff check .

# Translators: extract new strings, then merge them into each catalogue.
extract-messages: $(BIN)/.runtime-installed
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output .

update-catalogues: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
