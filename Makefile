# Quick start: `make run` (sets everything up and serves the demo) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format install migrate demo worker messages clean security-check bench security-report

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)
	@scripts/system-deps

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Cổng cuộc thi: http://127.0.0.1:$(PORT)/  (quản trị: /quan-tri/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

worker: install
	$(VENV)/bin/celery -A config worker -l info --pool=solo

test: $(STAMP)
	@scripts/system-deps test
	$(VENV)/bin/pytest -q -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -m "not e2e and not celery_worker and not faults" -n 2

# Benchmarks of issue 8 (never part of `make test`): PostgreSQL databases cchc_scale and
# cchc_scale_bench, Redis db 5, port 8110. BENCH_ARGS=--quick for shorter runs.
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y wrk
	cd bench && ../$(PY) run_all.py $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Security and reliability figures (README, "Security and reliability"): runs the security
# tests and bandit, prints one table; fails when a check fails.
security-report: $(STAMP)
	$(PY) scripts/security-report

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf var $(VENV)
