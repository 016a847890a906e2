VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ASSESS := $(VENV)/bin/assess
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test serve bench lint format screenshots clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install -q -e '.[test]'
	touch $@

run: $(STAMP)
	$(ASSESS) init
	$(ASSESS) user bootstrap
	$(VENV)/bin/flask --app wsgi run --host 127.0.0.1 --port 5000

serve: $(STAMP)
	$(ASSESS) init
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

test: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r assess
	$(VENV)/bin/assess bank check
	$(PY) -m pytest

bench: $(TEST_STAMP)
	$(PY) bench/run.py

screenshots: $(TEST_STAMP)
	$(PY) -m tests.e2e.screenshots

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -r assess

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
