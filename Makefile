# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install browser wrk run test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Development mode, set explicitly: the published development secrets, the demo, on 127.0.0.1 only.
run: install
	TRELLIS_ENVIRONMENT=development $(BIN)/trellis demo

# The end-to-end test drives Debian's chromium. Outside CI a machine that cannot install
# it still runs everything else (the browser test then skips, saying why); under CI it fails.
browser:
	@bash tests/e2e/install-browser.sh || { [ -z "$$CI" ] && echo "chromium unavailable: the browser test will skip"; }

test: install browser
	TRELLIS_ENVIRONMENT=development $(BIN)/python -m pytest $(PYTEST_ARGS)

# The HTTP benchmark drives the server with Debian's wrk.
wrk:
	@bash tools/apt-install.sh wrk wrk

bench: install wrk
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .pytest_cache test-artifacts
