# Two commands for a newcomer: `make run` and `make test`. Both install what they need
# into a virtual environment inside the project (.venv), from pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000

# Embedded defaults for `make run`: SQLite under var/, filesystem broker, console email,
# the demo's offline sources served by the app itself on 127.0.0.1.
RUN_ENV := DEBUG=1 DEMO_MODE=1 FETCH_ALLOW_PRIVATE_ADDRESSES=1 WEB_PORT=$(PORT) \
	SITE_ROOT=http://127.0.0.1:$(PORT)

.PHONY: install run test lint format bench clean messages

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py demo
	@echo ""
	@echo "  Open http://127.0.0.1:$(PORT)/  and log in as  demo@example.com / demo"
	@echo "  (web, worker and beat are starting; Ctrl-C stops them all)"
	@echo ""
	$(RUN_ENV) $(VENV)/bin/honcho -f Procfile.dev start

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/ staticfiles/ .pytest_cache
