# ddcheck: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format bench load lock messages vendor clean

# Installs exactly the versions in requirements.lock (the ones CI tested), then the project.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The compiled catalogues (.mo) are built here, never committed; --statistics also checks
# that every translation keeps its placeholders.
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
app/translations/.compiled: $(VENV)/.installed $(CATALOGUES)
	$(BIN)/pybabel compile --statistics -d app/translations
	touch $@

# Tools from the npm registry at the versions package-lock.json pins: the Nu Html Checker
# (vnu.jar) that tests/web/test_valid_html.py runs with the system's Java, Biome for `make lint`,
# and htmx (served from its copy in app/static/vendor/, see `make vendor`). Install scripts stay
# off: vnu-jar's own would download a Java runtime, and Debian's is used instead.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the HTML check in the tests will be skipped (apt-get install npm)"; \
	fi

install: $(VENV)/.installed node_modules/.installed app/translations/.compiled

## run: install, migrate the SQLite database, add the demo data once, serve on 127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install the test dependencies and run the whole suite (TEST_DATABASE_URL picks the database)
# One pytest-xdist worker per core and one more (at most 4), each with its own database: the
# browser journeys and the HTML checker spend part of their time waiting for Chromium and Java,
# and the extra worker keeps the cores busy meanwhile (on 2 cores, in one slow hour: SQLite 3:27
# with 3 workers and 3:25 with 2, PostgreSQL 3:59 with 3 and 4:07 with 2). A test file stays on
# one worker, so what a module renders once is rendered once; files start in collection order,
# where tests/conftest.py puts the longest first.
# TEST_WORKERS=0 runs everything in one process.
# Bytecode is written (to the ignored __pycache__ folders) even where the environment sets
# PYTHONDONTWRITEBYTECODE: otherwise every worker compiles the app and rewrites the asserts of
# every test module again at each start, 5 s of CPU per worker before its first test.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, (os.cpu_count() or 1) + 1))")
test: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The JavaScript is linted by Biome from node_modules (version pinned in package-lock.json).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@test -x node_modules/.bin/biome || { \
		echo "Biome is missing, so the JavaScript cannot be linted: install npm (apt-get install npm)"; \
		echo "and run make lint again (make install puts Biome in node_modules/)."; \
		exit 1; }
	node_modules/.bin/biome ci --error-on-warnings --colors=off

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	@if test -x node_modules/.bin/biome; then node_modules/.bin/biome check --write; fi

## vendor: copy htmx from node_modules (the version package-lock.json pins) into app/static/vendor
vendor: install
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE app/static/vendor/htmx/

## bench: print the benchmarks (speed and memory goals are measured here, not in tests);
## BENCH=report runs only the benchmarks whose name contains it
bench: install
	$(BIN)/python -m tests.benchmarks $(BENCH)

## load: workshop participants answer through gunicorn (4 workers, locust) while 20 reports are
## downloaded; prints p50/p95/p99 of the saves, errors, lost answers, download times, load average.
##   make load PARTICIPANTS=1000 DATABASE_URL=postgresql://u:pw@host/ddcheck_load REDIS_URL=redis://host:6379/0
## Without DATABASE_URL: a fresh SQLite file. A PostgreSQL database is emptied first (see tests/load/run.py).
PARTICIPANTS ?= 300
load: install
	PARTICIPANTS="$(PARTICIPANTS)" DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" \
		$(BIN)/python -m tests.load.run

## lock: re-resolve requirements.lock from the ranges in pyproject.toml
lock:
	$(BIN)/pip-compile --quiet --extra test --extra load --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

## messages: extract the translatable strings into app/translations/messages.pot and update the
## ru, fr and de catalogues from it (new strings arrive untranslated; the tests list them)
TRANSLATED := ru fr de
messages: install
	mkdir -p app/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot .
	for lang in $(TRANSLATED); do \
		if [ -f app/translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -l $$lang \
				-i app/translations/messages.pot -d app/translations; \
		else \
			$(BIN)/pybabel init -l $$lang -i app/translations/messages.pot -d app/translations; \
		fi; \
	done
	$(BIN)/pybabel compile --statistics -d app/translations

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
