# The README's two commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Local runs serve with debug on; production sets DJANGO_DEBUG=0 and a real DJANGO_SECRET_KEY.
RUN_ENV := DJANGO_DEBUG=1

.PHONY: run test setup install messages lint format bench search-check clean

run: setup
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

# Everything the site needs before it can serve: packages, schema, content. (The compiled
# translations are committed, so no gettext tools are needed to run the site.) createcachetable
# makes the table of CACHE_URL=db:// and does nothing for other caches.
setup: install
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) createcachetable
	$(RUN_ENV) $(MANAGE) load_glossary
	$(RUN_ENV) $(MANAGE) load_articles
	$(RUN_ENV) $(MANAGE) rebuild_index --noinput

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The guard tests check migrations and that every .po is translated and compiled.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -rs
	@test -x /usr/bin/chromium || echo "NOTE: Chromium not found at /usr/bin/chromium: the browser tests (tests/e2e) were skipped."

messages: install
	$(RUN_ENV) $(MANAGE) makemessages -l fr -l it --ignore=.venv --ignore=tests --no-obsolete
	$(RUN_ENV) $(MANAGE) makemessages -d djangojs -l fr -l it --ignore=.venv --ignore=tests --no-obsolete
	$(RUN_ENV) $(MANAGE) compilemessages --ignore=.venv -v 0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	@for script in tests/bench/bench_*.py; do echo "== $$script"; $(RUN_ENV) $(PY) $$script || exit 1; done

# Compare the search indexes with the database (add --fix by hand to repair).
search-check: install
	$(RUN_ENV) $(MANAGE) search_check

clean:
	rm -rf $(VENV) db.sqlite3 var/
