# estimate-checker: the two commands are `make report` (the main job) and `make test`.
# Each sets up what it needs: a virtual environment in .venv from requirements.txt (exact pins).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
CLUSTER := $(VENV)/.cluster-$(shell cksum requirements-cluster.txt | cut -d' ' -f1)

.PHONY: help setup cluster report test browser-test notebooks lab bench coverage new-case preregister clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# the package itself, from this checkout (editable: notebooks and tests import what is here)
	rm -f $(VENV)/lib/python*/site-packages/estimate_checker.pth
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# build matplotlib's font cache and pint's definitions cache now, before any kernel runs, so that
	@# matplotlib's notice never lands in a stored output and parallel kernels only read pint's cache
	$(PY) -c "import matplotlib.pyplot, estimates"
	@# JupyterLab makes no outbound call of its own: no news, no update check (read at every start)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)  ## create .venv from requirements.txt, with the package installed from this checkout

$(CLUSTER): requirements-cluster.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-cluster.txt
	rm -f $(VENV)/.cluster-* && touch $(CLUSTER)

cluster: $(CLUSTER)  ## the optional cluster install (Dask), only for report --scheduler

report: $(STAMP)  ## the main job: execute every notebook, print and write the verdict report
	$(PY) -m estimates report

test: $(STAMP) $(CLUSTER)  ## the tests: unit tests, doctests and strict nbval over every notebook (in parallel)
	@# in a temporary folder of their own, removed after: a run leaves nothing in the machine's
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/estimate-checker-tests-XXXXXX") && trap 'rm -rf "$$tmp"' EXIT && \
	  echo "TMPDIR=$$tmp $(PY) -m pytest -v -n auto --dist loadscope" && \
	  TMPDIR="$$tmp" $(PY) -m pytest -v -n auto --dist loadscope

browser-test: $(STAMP)  ## the analyst's path in headless Chromium (installs Debian's chromium and Playwright)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/browser/requirements.txt
	$(PY) -m pytest -v -p no:cacheprovider -o addopts= tests/browser

notebooks: $(STAMP)  ## re-execute every notebook top to bottom and store its outputs (after a change)
	$(PY) -m estimates notebooks

coverage: $(STAMP)  ## every number of every seed is a claim or listed as not one; drafts entries for the rest
	$(PY) -m estimates coverage --draft $(CASE)

new-case: $(STAMP)  ## a new article: copy the seed, draft its register, write a running notebook (SEED=... PUBLISHED=YYYY-MM-DD OUTLET="...")
	$(PY) -m estimates new-case "$(SEED)" --published "$(PUBLISHED)" --outlet "$(OUTLET)" $(if $(CASE),--case "$(CASE)")

preregister: $(STAMP)  ## freeze a case's as-of estimates and verdicts in its next seeds/<case>.freeze-<n>.json (CASE=...)
	$(PY) -m estimates freeze $(CASE)

lab: $(STAMP)  ## open the notebooks in JupyterLab (127.0.0.1 only, with a token, no update check or news)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	  --LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

bench: $(STAMP)  ## benchmarks: print ratios against targets, write reports/benchmarks.json
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/benchmarks/requirements.txt
	$(PY) tests/benchmarks/run.py

clean:  ## remove the virtual environment and the reports
	rm -rf $(VENV) reports
