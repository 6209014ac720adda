# Set-up and everyday commands. `make site` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A second venv with the oldest versions pyproject.toml allows (`make test-oldest`).
OLDEST_VENV := .venv-oldest
OLDEST_BIN := $(OLDEST_VENV)/bin
OLDEST_PINS := .ci/oldest-constraints.txt
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-oldest serve check bench fuzz lint format install install-test \
	install-oldest browser axe clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Non-editable install: the site and the tests use the package as users get it.
install: $(BIN)/python
	rm -rf build  # setuptools' staging folder would ship modules since removed
	$(BIN)/python -m pip install --quiet .
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .

install-test: install axe
	$(BIN)/python -m pip install --quiet ".[test]"

site: install
	$(BIN)/mkdocs build --strict

serve: install
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: install
	$(BIN)/dossier check

# Chromium for the browser tests: Debian's package, installed when missing and root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will not run"; \
	  else echo "note: /usr/bin/chromium missing and not root; browser tests will be skipped"; fi; \
	fi

# axe-core for tests/browser/test_axe.py: npm, pinned by tests/browser/package-lock.json,
# MPL-2.0, a test-time tool (never shipped in the package). Reinstalled only when the lockfile
# changes; without npm (and not root to install it) the accessibility tests are skipped.
AXE_DIR := tests/browser
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js

axe: $(AXE_JS)

$(AXE_JS): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) \
	    || echo "warning: could not install npm; the axe-core tests will not run"; \
	fi
	@if command -v npm >/dev/null; then \
	  (npm ci --prefix $(AXE_DIR) --no-audit --no-fund --loglevel=error >/dev/null && touch $@) \
	    || echo "warning: npm ci failed; the axe-core tests will be skipped"; \
	else echo "note: npm missing and not root; the axe-core tests will be skipped"; fi

test: install-test browser
	$(BIN)/python -m pytest -q

$(OLDEST_BIN)/python:
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_BIN)/python -m pip install --quiet --upgrade pip

# The runtime dependencies at their floors (pinned in $(OLDEST_PINS)); test tools newest.
install-oldest: $(OLDEST_BIN)/python axe
	rm -rf build
	$(OLDEST_BIN)/python -m pip install --quiet --constraint $(OLDEST_PINS) ".[test]"
	$(OLDEST_BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	$(OLDEST_BIN)/python -m pip check

# DOSSIER_OLDEST_PINS makes tests/test_oldest.py check the installed versions too.
test-oldest: install-oldest browser
	DOSSIER_OLDEST_PINS=$(OLDEST_PINS) $(OLDEST_BIN)/python -m pytest -q

# The property-based tests (tests/test_fuzz.py: the grammar and rendering; tests/test_fuzz_fields.py:
# front-matter fields in built sites) with large, random budgets; `make test` runs small fixed
# ones. DOSSIER_FUZZ_EXAMPLES=N changes the budget.
fuzz: install-test
	DOSSIER_FUZZ=1 $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_fuzz_fields.py

lint: install-test
	$(BIN)/ruff check plugins tests bench tools
	$(BIN)/ruff format --check plugins tests bench tools

format: install-test
	$(BIN)/ruff format plugins tests bench tools
	$(BIN)/ruff check --fix plugins tests bench tools

bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf site build dist *.egg-info plugins/*.egg-info tests/artifacts \
		$(AXE_DIR)/node_modules
