# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-compiled compiled lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -qq -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -qq -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@echo "declass: review page and API at http://127.0.0.1:8080/ (policy public); Ctrl-C stops it"
	@$(BIN)/declass serve --host 127.0.0.1 --port 8080

test: $(VENV)/.installed-test
	$(BIN)/ruff check declass rules service tests bench setup.py
	$(BIN)/ruff format --check declass rules service tests bench setup.py
	$(BIN)/mypy
	$(BIN)/pytest -q
	@if $(BIN)/python -m declass.compiled; then $(MAKE) --no-print-directory test-compiled; \
	 else echo "declass: skipping the compiled run (pure Python was tested)"; fi

# The compiled variant: declass.compiled.HOT_MODULES built with mypyc (setup.py,
# DECLASS_COMPILE=1) into a wheel, unpacked into build/compiled. The suite runs again with
# it first on the path; --import-mode=append keeps pytest from putting the sources first.
COMPILED := build/compiled
$(COMPILED)/.built: $(VENV)/.installed-test setup.py declass/compiled.py $(wildcard rules/*.py)
	rm -rf build  # setuptools keeps old extensions in build/lib: start clean
	DECLASS_COMPILE=1 $(BIN)/pip wheel -qq --no-deps --no-build-isolation -c constraints.txt -w build/wheel .
	$(BIN)/python -m zipfile -e build/wheel/declass-*.whl $(COMPILED)
	rm -rf $(COMPILED)/declass-*.dist-info
	touch $@

compiled: $(COMPILED)/.built

# The compiled pass leaves out what runs only pure code around the compiled modules and
# costs most of the suite's time: the readers, batch's processes, real servers and browsers.
# Releases through them are covered by tests/test_compiled.py's byte comparison.
COMPILED_SKIP := tests/read tests/batch tests/test_formats_edges.py tests/http/test_http_server.py \
	tests/http/test_http_hostile.py tests/http/test_gunicorn_edge.py \
	tests/http/test_review_browser.py tests/http/test_review_browser_work.py \
	tests/http/test_http_schema_fuzz.py
test-compiled: $(COMPILED)/.built
	PYTHONPATH=$(COMPILED) DECLASS_VARIANT=compiled $(BIN)/pytest -q --import-mode=append \
	    $(addprefix --ignore=,$(COMPILED_SKIP))

bench: $(VENV)/.installed-test
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
