# Two commands do all set-up: `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab lab-fr test lint bench notebooks clean nbgrader

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# JupyterLab's defaults for the kit: no pop-up asking about Jupyter news, no update check, and the
# lessons' .py sources hidden from the file browser (each lesson shows once). Binder's postBuild does the same.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
SERVER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.json
# nbgrader (a test dependency, for teachers' courses) adds menus a learner does not need: off in the lessons.
PAGE_CONFIG := $(VENV)/etc/jupyter/labconfig/page_config.json

$(OVERRIDES): tools/lab-settings/overrides.json | $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

$(SERVER_CONFIG): tools/lab-settings/jupyter_server_config.json | $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

# Jupyter refuses to run as root unless told to; containers and cloud shells often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

$(PAGE_CONFIG): tools/lab-settings/page_config.json | $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

lab: $(STAMP) $(OVERRIDES) $(SERVER_CONFIG) $(PAGE_CONFIG)
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

# The French edition: the lessons of notebooks/fr/, the kit in French (HTTPLAB_LANG) and JupyterLab's menus in
# French, with settings of its own (.venv/lab-settings-fr, first copied from tools/lab-settings/fr).
FR_SETTINGS := $(VENV)/lab-settings-fr

$(FR_SETTINGS): | $(STAMP)
	@mkdir -p $@
	cp -r tools/lab-settings/fr/. $@/

lab-fr: $(STAMP) $(OVERRIDES) $(SERVER_CONFIG) $(PAGE_CONFIG) $(FR_SETTINGS)
	HTTPLAB_LANG=fr JUPYTERLAB_SETTINGS_DIR=$(FR_SETTINGS) \
		$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks/fr $(ALLOW_ROOT)

test: $(STAMP)
	@# JupyterHub's proxy for the classroom test, when Node.js is here (without it that test skips and says why).
	@if command -v npm >/dev/null 2>&1; then bash tests/hub/install-proxy.sh >/dev/null; fi
	@# The folder is the layer: the import contracts in pyproject.toml hold before any test runs.
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(STAMP)
	cd benchmarks && ../$(BIN)/python run.py

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py sync

lint: $(STAMP)
	$(BIN)/ruff check httplab tests
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts

# The exercises as an nbgrader course (docs/nbgrader.md): nbgrader_config.py and source/<assignment>/ notebooks.
nbgrader: $(STAMP)
	$(BIN)/python tools/nbgrader_course.py build
