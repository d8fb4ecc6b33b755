"""Every hookspec is documented in docs/plugins.md with its signature and has a ``test_hook_<name>`` test.

datasette's pattern (``test_docs.py`` + ``test_plugins.py``): adding a hook without documenting and testing
it fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from clea_plugins import hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"
PLUGIN_TESTS = ROOT / "tests" / "plugins"

SPECS = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if getattr(function, f"{hookspecs.PROJECT_NAME}_spec", None) is not None
}


def signature(name: str) -> str:
    return f"{name}({', '.join(inspect.signature(SPECS[name]).parameters)})"


def doc_sections() -> dict[str, str]:
    """Hook name → its section of docs/plugins.md (a ``### `name(args)` `` heading up to the next heading)."""
    text = DOCS.read_text(encoding="utf-8")
    sections = {}
    heading = re.compile(r"^### `(?P<sig>(?P<name>\w+)\([^`]*\))`\n(?P<body>.*?)(?=^#{1,3} |\Z)", re.M | re.S)
    for match in heading.finditer(text):
        sections[match["name"]] = match["sig"] + "\n" + match["body"]
    return sections


def test_hook_names_constant_lists_every_spec() -> None:
    assert set(hookspecs.HOOK_NAMES) == set(SPECS)
    assert SPECS, "no hookspec found"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hook_is_documented_with_its_signature(name: str) -> None:
    sections = doc_sections()
    assert name in sections, f"docs/plugins.md has no '### `{signature(name)}`' heading"
    assert sections[name].startswith(signature(name) + "\n"), f"documented signature differs: {signature(name)}"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hook_doc_states_dispatch_and_version(name: str) -> None:
    body = doc_sections().get(name, "")
    firstresult = getattr(SPECS[name], f"{hookspecs.PROJECT_NAME}_spec")["firstresult"]
    assert ("firstresult" if firstresult else "all results") in body.lower()
    added = re.search(r"\.\. versionadded:: (\S+)", SPECS[name].__doc__ or "")
    assert added, "the hookspec docstring needs .. versionadded::"
    assert f"added in {added.group(1)}" in body.lower(), f"docs/plugins.md must say 'Added in {added.group(1)}'"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hook_has_a_test(name: str) -> None:
    tests = {
        node.name
        for path in PLUGIN_TESTS.glob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
    }
    assert f"test_hook_{name}" in tests, f"no test_hook_{name} in tests/plugins/"


def test_docs_do_not_document_hooks_that_do_not_exist() -> None:
    assert set(doc_sections()) <= set(SPECS)
