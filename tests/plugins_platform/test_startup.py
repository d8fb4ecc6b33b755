"""Start-up: every process loads and validates the branch plugins once; a broken one stops it, named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.utils import translation
from rest_framework.request import Request

from clea.api.errors import clea_exception_handler
from clea_plugins.errors import PluginError, PluginLoadError
from clea_plugins.manager import get_host, set_host

ROOT = Path(__file__).resolve().parents[2]

MISSPELLED = """
from clea_plugins import BranchIdentity, hookimpl

@hookimpl
def clea_branch_identity():
    return BranchIdentity("typo", "Typo", "0.1", "Plugin mal orthographié.", "t@example.org")

@hookimpl
def clea_evaluation_modalites(referential):
    return []
"""


def fake_distribution(site: Path, dist: str, code: str, source: str) -> None:
    """A real installed distribution (dist-info on sys.path) declaring a ``clea.branches`` entry point."""
    module = f"clea_startup_{code}"
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[clea.branches]\n{code} = {module}\n", encoding="utf-8")


def manage_check(site: Path | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clea.settings.test"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_check_passes_with_the_installed_branches() -> None:
    result = manage_check(None)
    assert result.returncode == 0, result.stderr
    assert "System check identified" in result.stdout + result.stderr
    assert "cannot be loaded" not in result.stderr


def test_a_broken_plugin_stops_manage_py_with_one_clear_message(tmp_path: Path) -> None:
    fake_distribution(tmp_path, "clea-branch-typo", "typo", MISSPELLED)
    fake_distribution(tmp_path, "clea-branch-absent", "absent", "import module_qui_n_existe_pas\n")
    result = manage_check(tmp_path)
    assert result.returncode != 0
    message = result.stderr
    assert "2 CléA branch plugin(s) cannot be loaded; start-up stopped" in message
    assert message.count("cannot be loaded; start-up stopped") == 1  # one error, not one per plugin
    assert "'typo' (distribution clea-branch-typo)" in message
    assert "did you mean clea_evaluation_modalities?" in message
    assert "'absent' (distribution clea-branch-absent): cannot be imported" in message
    assert "module_qui_n_existe_pas" in message
    assert "System check identified" not in result.stdout + result.stderr  # nothing ran past start-up


def test_the_journey_app_config_loads_the_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    set_host(None)
    apps.get_app_config("journey").ready()
    assert {"btp", "proprete", "transport_logistique"} <= get_host().codes
    set_host(None)
    monkeypatch.setenv("CLEA_BLOCKED_BRANCHES", "btp")  # an operator's explicit switch, not a silent skip
    apps.get_app_config("journey").ready()
    assert "btp" not in get_host().codes


def test_a_plugin_error_is_a_502_naming_the_plugin() -> None:
    error = PluginError("btp", "clea_validate_evaluation", ZeroDivisionError("division by zero"))
    request = Request(RequestFactory().post("/api/files/1/evaluations/"))
    with translation.override("fr"):  # the detail is in the request's language; earlier tests may leave another
        response = clea_exception_handler(error, {"request": request})
    assert response is not None and response.status_code == 502
    data: dict[str, Any] = dict(response.data)
    assert data["code"] == "plugin_error" and data["plugin"] == "btp" and data["hook"] == "clea_validate_evaluation"
    assert "« btp »" in data["detail"] and data["rule"] is None and data["fields"] == {}


def test_plugin_load_error_is_what_start_up_raises() -> None:
    assert issubclass(PluginLoadError, RuntimeError)
