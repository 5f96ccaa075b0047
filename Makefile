# The two commands of the README. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: compile test bench clean

# One document per seed policy and language (policy.language), kept fresh like the tables.
DOCS := hydra.en hydra.ru irex.en irex.fr navixy.en navixy.ru redhat.en

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

compile: $(STAMP)
	$(BIN)/policyc compile policies/ --out generated/
	mkdir -p generated/docs
	for d in $(DOCS); do \
	  $(BIN)/policyc doc policies/$${d%.*}.policy --lang $${d#*.} --out generated/docs/$$d.md || exit 1; \
	done

test: $(STAMP)
	$(BIN)/policyc compile policies/ --out generated/ --check
	$(BIN)/policyc fmt --check policies/ tests/versions/ tests/support/
	$(BIN)/policyc test policies/
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/compile.py
	$(BIN)/python bench/evaluate.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
