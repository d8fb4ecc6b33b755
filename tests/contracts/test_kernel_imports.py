"""The kernel is plain Python: no Django, DRF, Celery, django-tenants, tenant-schemas-celery or pluggy.

Checked twice: by import-linter, with the contract declared in pyproject.toml, and by walking the kernel's
source with ``ast`` (which also sees imports hidden in functions or behind ``TYPE_CHECKING``).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.fixtures.services import require

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "platform" / "clea" / "kernel"
CONTRACT_NAME = "The kernel is plain Python"
FORBIDDEN = ("django", "rest_framework", "celery", "django_tenants", "tenant_schemas_celery", "pluggy")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _importlinter_config() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert isinstance(config, dict)
    return config


def _kernel_contract() -> dict[str, object]:
    contracts = _importlinter_config()["contracts"]
    assert isinstance(contracts, list)
    matching = [c for c in contracts if c.get("name") == CONTRACT_NAME]
    assert len(matching) == 1, f"pyproject.toml declares no contract named {CONTRACT_NAME!r}"
    contract: dict[str, object] = matching[0]
    return contract


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run_lint_imports(
    *args: str, cwd: Path = ROOT, pythonpath: list[Path] | None = None
) -> subprocess.CompletedProcess[str]:
    require(LINT_IMPORTS.exists(), f"lint-imports is not installed next to {sys.executable}")
    paths = pythonpath or [ROOT / "platform", ROOT / "tenants", ROOT / "plugins"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _contract_file(tmp_path: Path, contract: dict[str, object], root_packages: list[str]) -> Path:
    """The kernel contract alone, as an import-linter config (external forbidden modules need
    ``include_external_packages``)."""
    lines = [
        "[tool.importlinter]",
        f"root_packages = {_toml(root_packages)}",
        "include_external_packages = true",
        "",
        "[[tool.importlinter.contracts]]",
        *(f"{key} = {_toml(value)}" for key, value in contract.items()),
    ]
    path = tmp_path / "importlinter.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_contract_forbids_every_framework() -> None:
    contract = _kernel_contract()
    assert contract["type"] == "forbidden"
    assert contract["source_modules"] == ["clea.kernel"]
    forbidden = contract["forbidden_modules"]
    assert isinstance(forbidden, list)
    assert set(FORBIDDEN) <= set(forbidden)
    assert contract.get("allow_indirect_imports", False) is False


def test_import_linter_keeps_the_kernel_contract(tmp_path: Path) -> None:
    root_packages = _importlinter_config()["root_packages"]
    assert isinstance(root_packages, list)
    config = _contract_file(tmp_path, _kernel_contract(), root_packages)
    result = _run_lint_imports(str(config))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"{CONTRACT_NAME} KEPT" in output


def test_import_linter_would_catch_a_framework_import(tmp_path: Path) -> None:
    """The same contract on a copy of the package with one bad import: it must be reported broken."""
    fake = tmp_path / "src" / "clea"
    (fake / "kernel").mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "kernel" / "__init__.py").write_text("", encoding="utf-8")
    (fake / "kernel" / "sneaky.py").write_text("def f():\n    from django.db import models\n", encoding="utf-8")
    config = _contract_file(tmp_path, _kernel_contract(), ["clea"])
    result = _run_lint_imports(str(config), cwd=tmp_path, pythonpath=[tmp_path / "src"])
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{CONTRACT_NAME} BROKEN" in output
    assert "clea.kernel.sneaky" in output


def test_lint_imports_runs_with_the_repository_configuration() -> None:
    result = _run_lint_imports()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"{CONTRACT_NAME} KEPT" in output


# ------------------------------------------------------------------------------------------------------ ast


def forbidden_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every import of a forbidden top-level package in ``source``, as ``line: module``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            modules = [node.args[0].value]
        found += [f"{getattr(node, 'lineno', 0)}: {m}" for m in modules if m.split(".")[0] in FORBIDDEN]
    return found


def kernel_modules() -> list[Path]:
    modules = sorted(KERNEL.rglob("*.py"))
    assert len(modules) >= 15, modules  # the walk really sees the kernel
    return modules


@pytest.mark.parametrize("module", kernel_modules(), ids=lambda p: str(p.relative_to(KERNEL)))
def test_kernel_module_imports_no_framework(module: Path) -> None:
    assert forbidden_imports(module.read_text(encoding="utf-8"), str(module)) == []


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "import celery.app as app",
        "from rest_framework import serializers",
        "from django_tenants.utils import schema_context",
        "import os, tenant_schemas_celery",
        "def f():\n    import pluggy",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from django.db import models",
        "import importlib\nimportlib.import_module('django.conf')",
        "__import__('celery')",
    ],
)
def test_the_ast_check_sees_every_form_of_import(source: str) -> None:
    assert forbidden_imports(source)


@pytest.mark.parametrize(
    "source", ["import djangoish", "from clea.kernel import errors", "from . import django", "import celeryx"]
)
def test_the_ast_check_ignores_lookalikes(source: str) -> None:
    assert forbidden_imports(source) == []


def test_platform_is_not_a_package() -> None:
    """``platform/__init__.py`` would shadow the standard library's ``platform`` module (STYLE.md)."""
    assert not (ROOT / "platform" / "__init__.py").exists()
