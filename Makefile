# reams — developer entry points. `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install chromium tesseract wrk demo test test-fast test-sdk219 lint format bench examples clean

# setup.py and the C source too: a changed native module is rebuilt by the next make.
$(STAMP): pyproject.toml setup.py src/reams/processors/parse/pdf/_chars.c
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Byte-compiled now, as a wheel install would (an editable install leaves it to the first
	# import, which PYTHONDONTWRITEBYTECODE can forbid: every command would compile again).
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

install: $(STAMP) chromium tesseract ## create .venv with reams and its test dependencies (and Chromium, tesseract)

# $(call apt_tool,COMMAND,WHAT SKIPS WITHOUT IT[,PACKAGES]): install Debian's PACKAGES (default:
# the package named COMMAND) when the command is missing (as root, or with password-less sudo);
# where that is impossible, say what will be skipped.
define apt_tool
	@command -v $(1) >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(or $(3),$(1)); \
	  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(or $(3),$(1)); \
	  else \
	    echo "$(1) not found and cannot be installed here: $(2)"; \
	  fi; \
	}
endef

# The dashboard's browser tests drive the system Chromium through Playwright (which never
# downloads a browser here). Installed with apt when missing; where that is impossible (no root,
# no apt) the browser tests skip with the reason.
chromium:
	$(call apt_tool,chromium,the dashboard browser tests will skip)

# OCR with tesseract (ocr_engine "tesseract", and auto for French / German documents with lang
# set): the tesseract tests skip without it.
tesseract:
	$(call apt_tool,tesseract,the tesseract OCR tests will skip,tesseract-ocr tesseract-ocr-fra tesseract-ocr-deu)

# The newest llama-cloud SDK in its own environment (no reams in it): the v2 acceptance tests
# drive a real `reams serve` with it, while .venv keeps the 2.13 pin.
SDK219 := .venv-sdk219
SDK219_STAMP := $(SDK219)/.installed

$(SDK219_STAMP):
	$(PYTHON) -m venv $(SDK219)
	$(SDK219)/bin/python -m pip install --quiet --upgrade pip
	$(SDK219)/bin/python -m pip install --quiet llama-cloud==2.19.0 pytest==9.2.0 pytest-timeout==2.4.0 httpx==0.28.1
	touch $(SDK219_STAMP)

demo: $(STAMP) ## process examples/ into demo-out/ with a progress bar
	REAMS_DATA_DIR=$(CURDIR)/.reams $(BIN)/reams run examples --job parse --out demo-out
	@echo "Outputs in demo-out/ (Markdown + JSON per document). Run it again: every file is skipped."

lint: $(STAMP) ## ruff (lint + format check), mypy strict, import-linter
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: lint chromium tesseract $(SDK219_STAMP) ## the whole suite (lint first), then the v2 tests on the newest SDK
	$(BIN)/python -m pytest -q
	$(SDK219)/bin/python -m pytest -q tests/acceptance/sdk219

test-sdk219: $(STAMP) $(SDK219_STAMP) ## only the acceptance tests on llama-cloud 2.19
	$(SDK219)/bin/python -m pytest -q tests/acceptance/sdk219

test-fast: $(STAMP) ## unit tier only, without the tests marked slow (make test runs them)
	$(BIN)/python -m pytest -q -m "not slow" tests/unit

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The API load benchmark drives a real server with wrk (a compiled load generator, Debian's
# package), so the client takes little of the two cores the server needs.
wrk:
	$(call apt_tool,wrk,the api_load benchmark will be skipped)

bench: $(BENCH_STAMP) wrk ## benchmarks (installs the competitors they compare with); writes bench/README.md
	$(BIN)/python bench/run_all.py

examples: $(STAMP) ## regenerate the example documents
	$(BIN)/python tests/docgen.py examples

clean:
	rm -rf $(VENV) $(SDK219) .reams demo-out .pytest_cache .mypy_cache .ruff_cache
