# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 3000
N      ?= 1000

.PHONY: venv test lint lint-js run demo bench cost deploy clean

venv: $(STAMP)

$(STAMP): pyproject.toml shared/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP) lint-js
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP) lint-js
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

# ESLint, at the versions package-lock.json pins, on the scripts the pages load. It needs Node.js and npm
# (.ci/run installs them); without npm it says so and is skipped, so the Python side still runs.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint-js:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) -s --no-print-directory node_modules/.installed && \
		npm run --silent lint; \
	else echo "lint-js: skipped, npm is not installed (apt-get install nodejs npm)"; fi

run: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m local.server

demo: $(STAMP)
	$(BIN)/python -m local.demo

bench: $(STAMP)
	$(BIN)/python -m bench

cost: $(STAMP)
	$(BIN)/python -m bench.cost $(N)

deploy: $(STAMP)
	sam build
	sam deploy --guided

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache node_modules
