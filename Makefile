# Two commands for a fresh machine with only python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo scale-demo test lint format typecheck bench bench-quick clean

# Create or update .venv with the dev extras; re-runs only when pyproject.toml changed.
install: $(STAMP)
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Serve the three demo colleges on loopback, replay nine weekly crawls, judge, write the HTML report and the week's email.
demo: install
	$(BIN)/xxgk demo

# Many colleges (18, 42 sites) crawled by three Scrapyd nodes into the shared catalog (a PostgreSQL started for
# it, restarted between the two crawls), then on one machine into a file; the two reports compared
# (docs/scale.md). Its last line says whether they are identical.
scale-demo: install
	$(BIN)/python -m monitor.scale_demo

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench --full

bench-quick: install
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) data/demo build *.egg-info
