"""Fixtures of the publishing tests: referential uploads and federation clients by role."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.web.conftest import browser, new_page, web_client_for  # noqa: F401  - web clients, chromium

from clea.kernel.referential.loader import DEFAULT_REFERENTIAL

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def proposed_text() -> str:
    return (DATA / "clea-socle-proposed.yaml").read_text(encoding="utf-8")


@pytest.fixture
def socle_document() -> dict[str, Any]:
    text = resources.files("clea.kernel.referential").joinpath("data", DEFAULT_REFERENTIAL).read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@pytest.fixture
def analyst_client(api_client_for: Callable[..., Any]) -> Any:
    return api_client_for(None, "analyst")


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
