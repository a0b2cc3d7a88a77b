# The README's commands. `make outputs` runs the main job, `make test` the tests;
# both create the virtual environment .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: outputs test test-lowest lint typecheck check format-data bench fuzz clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## outputs: write every chart and graph file of the bundled ICE data to outputs/
outputs: $(BIN)/.installed
	$(BIN)/ice-graph build --out outputs

## test: the whole test suite (doctests in the package and README included)
test: $(BIN)/.installed
	$(BIN)/python -m pytest

## test-lowest: the tests against the lowest versions pyproject.toml allows (CI runs it once)
LOWEST ?= .venv-lowest
test-lowest:
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/lowest.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet -c $(LOWEST)/constraints.txt -e '.[dev]'
	$(LOWEST)/bin/python -m pip freeze | grep -iE '^(networkx|pydot|matplotlib|pyyaml|click|defusedxml)=='
	$(LOWEST)/bin/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check ice_graph tests benchmarks
	$(BIN)/ruff format --check ice_graph

typecheck: $(BIN)/.installed
	$(BIN)/mypy

check: lint typecheck test

## format-data: rewrite data/ice.yaml in canonical form
format-data: $(BIN)/.installed
	$(BIN)/ice-graph fmt data/ice.yaml

## bench: the scale benchmark (writes benchmarks/results.md; takes several minutes)
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py

## fuzz: a long run of the fuzz and property tests (mutated data, hostile files, any graph, every chart)
FUZZ_EXAMPLES ?= 5000
fuzz: $(BIN)/.installed
	ICE_GRAPH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q \
	  tests/test_fuzz.py tests/test_io_fuzz.py tests/test_charts_fuzz.py tests/test_robust_helpers.py

clean:
	rm -rf $(VENV) $(LOWEST) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
