"""Root conftest: fixture modules only. No autouse database fixture (tests/kernel runs without one)."""

import sys
from pathlib import Path

import pytest

# `tests.fixtures.*` must be importable under --import-mode=importlib. Appended, never prepended:
# the repository root holds `platform/`, which must not shadow the standard library.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

# Fixture modules that need Django. Loaded only when pytest-django is active, so that
# `pytest tests/kernel -p no:django` runs the kernel suite without Django at all.
DJANGO_FIXTURE_MODULES = ("tests.fixtures.tenants",)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.has_plugin("django"):
        for module in DJANGO_FIXTURE_MODULES:
            config.pluginmanager.import_plugin(module)
