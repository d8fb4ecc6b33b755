"""Root conftest: fixture modules only. No autouse database fixture (tests/kernel runs without one)."""

import sys
from pathlib import Path

# `tests.fixtures.*` must be importable under --import-mode=importlib. Appended, never prepended:
# the repository root holds `platform/`, which must not shadow the standard library.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

pytest_plugins = [
    "tests.fixtures.tenants",
]
