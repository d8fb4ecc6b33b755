# CléA platform: `make demo` runs a local demo, `make test` runs every check.
# Idempotent: the virtualenv is (re)installed only when pyproject.toml files change (stamp file).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.clea-installed
BRANCH_PROJECTS := $(wildcard branch_modalities/*/pyproject.toml)
BRANCH_DIRS := $(patsubst %/pyproject.toml,%,$(BRANCH_PROJECTS))

.PHONY: demo test install clean-stamp

install: $(STAMP)

$(STAMP): pyproject.toml $(BRANCH_PROJECTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(foreach dir,$(BRANCH_DIRS),-e ./$(dir))
	touch $(STAMP)

demo:
	scripts/system-deps.sh demo
	$(MAKE) --no-print-directory install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-clea.settings.demo} $(BIN)/python manage.py demo  # DEBUG off

# System packages first (python3-venv is needed to create the virtualenv), then services, then every check.
test:
	scripts/system-deps.sh test
	scripts/services.sh
	$(MAKE) --no-print-directory install
	scripts/test.sh

clean-stamp:
	rm -f $(STAMP)
