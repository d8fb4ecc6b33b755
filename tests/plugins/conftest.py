"""Fixtures for the plugin SDK tests: the host loaded from the installed entry points, fake distributions."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clea.kernel.referential import Referential, default_referential
from clea_plugins.manager import PluginHost, build_host, set_host

BRANCHES = ("btp", "proprete", "transport_logistique")
_counter = itertools.count()


@pytest.fixture(scope="session")
def installed_host() -> PluginHost:
    """Built like at start-up, from the ``clea.branches`` entry points of the installed distributions."""
    host = build_host()
    missing = set(BRANCHES) - host.codes
    assert not missing, f"install the branches first: pip install -e branch_modalities/<code> (missing {missing})"
    return host


@pytest.fixture
def referential() -> Referential:
    return default_referential()


@pytest.fixture(autouse=True)
def _fresh_global_host() -> Iterator[None]:
    yield
    set_host(None)


FakeDist = Callable[..., str]


@pytest.fixture
def fake_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDist]:
    """Install a real (dist-info on sys.path) distribution declaring ``clea.branches`` entry points.

    Returns the unique module name created; its source is ``source``.
    """
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    created: list[str] = []

    def make(dist_name: str, ep_name: str, source: str, group: str = "clea.branches", value: str = "") -> str:
        module = f"clea_test_plugin_{next(_counter)}"
        (root / f"{module}.py").write_text(source, encoding="utf-8")
        info = root / f"{dist_name.replace('-', '_')}-0.1.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: 0.1\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[{group}]\n{ep_name} = {value or module}\n", encoding="utf-8")
        created.append(module)
        return module

    yield make
    for module in created:
        sys.modules.pop(module, None)
