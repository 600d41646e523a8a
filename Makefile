# pressrun — `make all` publishes every format from source/ into output/; `make test` runs the suite.
# Both set up .venv on first use (and again only when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FORMATS := html pdf docx epub feed sitemap ninjs

.PHONY: all test check clean bench fuzz setup $(FORMATS)

all: $(STAMP)
	$(BIN)/pressrun build

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The layer contract (.importlinter) and pyflakes' unused-code rules run before the tests.
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --quiet src tests bench
	$(BIN)/pytest -q

# Each export of an example gets FUZZ_EXPORT_TIMEOUT seconds: a hang fails the run instead of freezing it.
FUZZ_EXPORT_TIMEOUT ?= 20
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXPORT_TIMEOUT=$(FUZZ_EXPORT_TIMEOUT) $(BIN)/pytest -q tests/test_properties.py

check: $(STAMP)
	$(BIN)/pressrun check

$(FORMATS): $(STAMP)
	$(BIN)/pressrun build --format $@

# Benchmark (issue 8): pressrun vs the bare libraries vs pandoc; e.g. `make bench BENCH_ARGS="--sizes 1,100 --write"`.
BENCH_ARGS ?= --sizes 1,100,1000
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf output wire .pytest_cache .hypothesis
