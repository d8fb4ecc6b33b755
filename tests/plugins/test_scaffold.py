"""The scaffold writes a distribution that passes the conformance suite as generated."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import clea.kernel
import clea_plugins
from clea.kernel.referential import default_referential
from clea_plugins.data import parse_branch_data
from clea_plugins.errors import PluginLoadError
from clea_plugins.manager import build_host
from clea_plugins.scaffold import main, scaffold


def pythonpath(*extra: Path) -> str:
    """The scaffolded package, the platform's source roots (clea, clea_plugins) and the venv's paths."""
    roots = [Path(clea_plugins.__file__).parents[1], Path(clea.kernel.__file__).parents[2]]
    return os.pathsep.join([*map(str, extra), *map(str, roots), *(p for p in sys.path if p)])


def test_scaffolded_branch_passes_the_conformance_suite(tmp_path: Path) -> None:
    root = scaffold("agriculture", "Production agricole", tmp_path)
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["clea.branches"] == {
        "agriculture": "clea_branch_agriculture.hooks:plugin"
    }
    assert pyproject["project"]["name"] == "clea-branch-agriculture"
    text = (root / "clea_branch_agriculture" / "data" / "modalities.yaml").read_text("utf-8")
    assert len(parse_branch_data(text).subdomains) == 28 and "EXAMPLE" in text

    env = {**os.environ, "PYTHONPATH": pythonpath(root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:django", "-p", "no:cacheprovider", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "15 passed" in done.stdout and "failed" not in done.stdout and "skipped" not in done.stdout


def test_module_entry_point_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {**os.environ, "PYTHONPATH": pythonpath()}
    done = subprocess.run(
        [sys.executable, "-m", "clea_plugins.scaffold", "viticulture", "Viticulture", "--dest", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "viticulture" / "clea_branch_viticulture" / "hooks.py").is_file()
    with pytest.raises(SystemExit) as exited:
        main(["viticulture", "Viticulture", "--dest", str(tmp_path)])
    assert exited.value.code == 2 and "already exists" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["Bad-Code", "X", "--dest", str(tmp_path)])
    assert "branch code 'Bad-Code'" in capsys.readouterr().err


REPOSITORY = Path(__file__).resolve().parents[2]


def test_scaffolded_branch_passes_the_repository_ruff_and_mypy(tmp_path: Path) -> None:
    """What a branch author gets is clean by the repository's own rules (its pyproject's ruff and mypy).

    ruff runs as an author does, from the branch's folder with the platform's configuration (relative ``src``
    paths then resolve elsewhere: the import order must not depend on it), and from the repository root.
    """
    root = scaffold("agriculture", "Production agricole", tmp_path)
    bin_dir = Path(sys.executable).parent
    for cwd in (root, REPOSITORY):
        ruff = subprocess.run(
            [str(bin_dir / "ruff"), "check", "--no-cache", "--config", str(REPOSITORY / "pyproject.toml"), str(root)],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert ruff.returncode == 0, f"from {cwd}: {ruff.stdout[-4000:]}"
    sources = [root, Path(clea_plugins.__file__).parents[1], Path(clea.kernel.__file__).parents[2]]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(map(str, sources))}
    mypy = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--explicit-package-bases", "--no-incremental", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:]


def test_scaffolded_data_gives_each_subdomain_its_own_scenarios(tmp_path: Path) -> None:
    """The template does not suggest that one scenario list serves several sub-domains."""
    root = scaffold("agriculture", "Production agricole", tmp_path)
    text = (root / "clea_branch_agriculture" / "data" / "modalities.yaml").read_text("utf-8")
    data = parse_branch_data(text, branch="agriculture")
    referential = default_referential()
    for modality in data.modalities:
        title = referential.subdomains_by_code[modality.subdomain].title.replace('"', "'")
        assert modality.scenarios == (f"EXEMPLE à adapter — {title}",), modality
    assert data.name == "Production agricole" and "@" in data.contact and data.sections == ()


def test_a_branch_key_differing_from_the_code_is_one_sentence_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = scaffold("agriculture", "Production agricole", tmp_path)
    data_file = root / "clea_branch_agriculture" / "data" / "modalities.yaml"
    data_file.write_text(data_file.read_text("utf-8").replace("branch: agriculture", "branch: agri"), "utf-8")
    monkeypatch.syspath_prepend(str(root))
    try:
        hooks = importlib.import_module("clea_branch_agriculture.hooks")
        with pytest.raises(PluginLoadError) as raised:
            build_host({"agriculture": hooks.plugin}, entry_points=False)
    finally:
        for name in [name for name in sys.modules if name.startswith("clea_branch_agriculture")]:
            del sys.modules[name]
    (problem,) = raised.value.problems
    assert problem.problem.endswith(
        "clea_branch_agriculture/data/modalities.yaml: branch: 'agri' differs from the plugin's code 'agriculture' "
        "(its package clea_branch_agriculture and its entry-point name): write 'branch: agriculture'"
    )
    assert "AssertionError" not in str(raised.value)
