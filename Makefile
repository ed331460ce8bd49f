# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 3000
N      ?= 1000

.PHONY: venv test lint run demo bench cost deploy clean

venv: $(STAMP)

$(STAMP): pyproject.toml shared/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

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
	rm -rf $(VENV) .aws-sam .pytest_cache
