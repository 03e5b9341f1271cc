# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint typecheck unit bench clean

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
	$(BIN)/ruff check declass rules service tests bench
	$(BIN)/ruff format --check declass rules service tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.installed-test
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
