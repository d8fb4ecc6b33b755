"""The layer contracts of pyproject.toml: every package is placed, and each rule catches what it forbids.

``lint-imports`` (scripts/test.sh, and ``test_kernel_imports``) checks the tree as it is. Here each contract
is also run on the tree plus one import it must refuse — the imports the layering once had (issue #18) —
so that a contract loosened by mistake (a wildcard that matches nothing, an ignore too wide) fails a test.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any

import grimp
import importlinter.api  # noqa: F401  (configures import-linter's settings: graph builder, timer)
import pytest
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "protected": ProtectedContract,
}
LAYERS = "Layers import downwards only (highest first)"
NO_TASKS = "Services never import tasks (they write follow-ups to the outbox, by task name)"
NO_INTERFACES = "Services never import the API or the web pages (only URL confs and other interface modules do)"
WEB_NOT_API = "Web pages never import the API layer (web and API are siblings that call services)"
API_NOT_WEB = "The API never imports the web pages"


def _config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]
    return config


def _contract(name: str) -> Contract:
    config = _config()
    (options,) = [c for c in config["contracts"] if c["name"] == name]
    session = {key: value for key, value in config.items() if key != "contracts"}
    contract_options = {key: value for key, value in options.items() if key not in ("name", "type")}
    return CONTRACT_TYPES[options["type"]](name, session, contract_options)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    for source_root in ("platform", "tenants", "plugins"):
        if str(ROOT / source_root) not in sys.path:
            sys.path.insert(0, str(ROOT / source_root))
    return grimp.build_graph(*_config()["root_packages"], include_external_packages=True, cache_dir=None)


def test_every_contract_is_checked_here() -> None:
    names = {c["name"] for c in _config()["contracts"]}
    assert names == {"The kernel is plain Python", LAYERS, NO_TASKS, NO_INTERFACES, WEB_NOT_API, API_NOT_WEB}


def test_every_package_has_its_layer() -> None:
    """A new top-level package or module of ``clea`` (or a new root package) must be placed in a layer."""
    (layers,) = [c["layers"] for c in _config()["contracts"] if c["name"] == LAYERS]
    placed = {module.strip().strip("()") for layer in layers for module in layer.replace("|", ":").split(":")}
    clea = ROOT / "platform" / "clea"
    children = {f"clea.{p.stem}" for p in clea.glob("*.py") if p.stem != "__init__"}
    children |= {f"clea.{p.name}" for p in clea.iterdir() if (p / "__init__.py").exists()}
    assert children | {"clea_tenants", "clea_plugins"} <= placed, sorted(children - placed)


@pytest.mark.parametrize("name", [LAYERS, NO_TASKS, NO_INTERFACES, WEB_NOT_API, API_NOT_WEB])
def test_the_tree_keeps_the_contract(graph: grimp.ImportGraph, name: str) -> None:
    check = _contract(name).check(deepcopy(graph), verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(
    ("name", "importer", "imported"),
    [
        # the journey below the federation's apps; tenancy and accounts below the API layer
        (LAYERS, "clea.journey.services", "clea.certification.services"),
        (LAYERS, "clea.identity.services", "clea.certification.certificates"),  # identity below the certificates
        (LAYERS, "clea_tenants.middleware", "clea.api.errors"),
        (LAYERS, "clea.accounts.security", "clea.api.errors"),
        (LAYERS, "clea.accounts.security", "clea_tenants.schemas"),
        (LAYERS, "clea.audit.trail", "clea_tenants.schemas"),
        (LAYERS, "clea.certification.services", "clea.dashboards.figures"),
        (LAYERS, "clea.journey.services", "clea.prescribers.inbox.services"),
        (LAYERS, "clea.certification.services", "clea.prescribers.services"),
        (LAYERS, "clea_plugins.manager", "clea_tenants.models"),
        (LAYERS, "clea.kernel.mastery", "clea_plugins.types"),
        # services send tasks by name, through the outbox
        (NO_TASKS, "clea.certification.sessions", "clea.tasks.notifications"),
        (NO_TASKS, "clea_tenants.provisioning", "clea.tasks.provisioning"),
        (NO_TASKS, "clea.journey.events", "clea.tasks.documents"),
        (NO_TASKS, "clea.prescribers.services", "clea.tasks.prescribers"),
        # a service never reaches into an interface, of its own app or of another
        (NO_INTERFACES, "clea.journey.planning", "clea.journey.api.branches"),
        (NO_INTERFACES, "clea.certification.sessions", "clea.journey.api.serializers"),
        (NO_INTERFACES, "clea.privacy.erasure", "clea.privacy.api"),
        (NO_INTERFACES, "clea.prescribers.services", "clea.prescribers.api.views"),
        (NO_INTERFACES, "clea_tenants.provisioning", "clea_tenants.api.views"),
        (NO_INTERFACES, "clea.journey.services", "clea.web.presenting"),
        # web and API are siblings
        (WEB_NOT_API, "clea.web.access", "clea.journey.api.views"),
        (WEB_NOT_API, "clea.web.branching", "clea.journey.api.branches"),
        (WEB_NOT_API, "clea.certification.web.views", "clea.certification.api.views"),
        (WEB_NOT_API, "clea.dashboards.views", "clea.dashboards.api"),
        (WEB_NOT_API, "clea.web.errors", "clea.api.errors"),
        (API_NOT_WEB, "clea.journey.api.views", "clea.web.presenting"),
        (API_NOT_WEB, "clea.api.auth", "clea.web.views.auth"),
        (API_NOT_WEB, "clea.privacy.api", "clea.certification.web.forms"),
    ],
)
def test_the_contract_refuses_the_import(graph: grimp.ImportGraph, name: str, importer: str, imported: str) -> None:
    assert importer in graph.modules and imported in graph.modules
    bad = deepcopy(graph)
    bad.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert not _contract(name).check(bad, verbose=False).kept


# ------------------------------------------------------------------------------- function-level imports

# The only imports allowed inside a function, and why (each is also commented where it is written).
FUNCTION_LEVEL_IMPORTS = {
    # AppConfig.ready(): modules that import models are loaded once the app registry is ready.
    ("platform/clea/audit/apps.py", "clea.audit"),
    ("platform/clea/api/apps.py", "clea.api.inputs"),  # patches DRF's and Django's field classes
    ("platform/clea/certification/apps.py", "clea.certification.services"),
    ("platform/clea/certification/apps.py", "clea.journey.signals"),
    ("platform/clea/tasks/apps.py", "clea.tasks.schedule_health"),
    ("platform/clea/prescribers/inbox/apps.py", "clea.journey.models"),
    ("platform/clea/prescribers/inbox/apps.py", "clea.prescribers.inbox.services"),
    # imported by the spawned upgrade workers before django.setup(): no model at module level
    ("tenants/clea_tenants/upgrade.py", "django.contrib.contenttypes.models"),
}


def _function_level_imports(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    found.add((str(path.relative_to(ROOT)), inner.module))
                elif isinstance(inner, ast.Import):
                    found |= {(str(path.relative_to(ROOT)), alias.name) for alias in inner.names}
    return found


def test_no_function_level_import_but_the_listed_ones() -> None:
    """No import hides in a function to dodge a cycle: there is none to dodge (lint-imports' layers)."""
    found: set[tuple[str, str]] = set()
    for source in ("platform/clea", "tenants/clea_tenants", "plugins/clea_plugins"):
        for path in sorted((ROOT / source).rglob("*.py")):
            if "migrations" not in path.parts:
                found |= _function_level_imports(path)
    assert found == FUNCTION_LEVEL_IMPORTS
