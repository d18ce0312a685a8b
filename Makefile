# CineAI: `make run` starts everything, `make test` runs the whole suite. Both bootstrap .venv first.
PYTHON ?= python3
PORT ?= 8501
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench setup worker app install clean-db

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv
	@$(VENV)/bin/uv pip install -q -p $(PY) -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m cine_core run --port $(PORT) --host $(HOST)

test: $(STAMP)
	@$(PY) scripts/ensure_browser.py || true
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench.run_all $(BENCH_ARGS)

setup: $(STAMP)
	$(PY) -m cine_core setup

worker: $(STAMP)
	$(PY) -m worker

app: $(STAMP)
	$(PY) -m streamlit run app.py

clean-db:
	rm -rf .cine
