# genelab — one command per job. Each target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
WORKSPACE ?= data/demo
OUT    ?= outputs
JOBS   ?= 2

.PHONY: venv test reports bench lab demo clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name genelab --display-name "genelab (Python 3)" >/dev/null
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

reports: $(STAMP)
	$(VENV)/bin/genelab validate $(WORKSPACE)
	$(VENV)/bin/genelab reports --workspace $(WORKSPACE) --out $(OUT) --jobs $(JOBS)

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

demo: $(STAMP)
	$(PY) scripts/make_demo.py data/demo

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=. --ip=$${LAB_IP:-127.0.0.1} --port=$${LAB_PORT:-8888} --no-browser $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean:
	rm -rf $(VENV) .pytest_cache
