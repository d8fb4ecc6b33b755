"""The scaffold writes a distribution that passes the conformance suite as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import clea.kernel
import clea_plugins
from clea_plugins.data import parse_branch_data
from clea_plugins.scaffold import main, scaffold


def pythonpath(*extra: Path) -> str:
    """The scaffolded package, the platform's source roots (clea, clea_plugins) and the venv's paths."""
    roots = [Path(clea_plugins.__file__).parents[1], Path(clea.kernel.__file__).parents[2]]
    return os.pathsep.join([*map(str, extra), *map(str, roots), *(p for p in sys.path if p)])


def test_scaffolded_branch_passes_the_conformance_suite(tmp_path: Path) -> None:
    root = scaffold("agriculture", "Production agricole", tmp_path)
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["clea.branches"] == {"agriculture": "clea_branch_agriculture.hooks"}
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
    assert " passed" in done.stdout and "failed" not in done.stdout


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
    """What a branch author gets is clean by the repository's own rules (its pyproject's ruff and mypy)."""
    root = scaffold("agriculture", "Production agricole", tmp_path)
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--config", str(REPOSITORY / "pyproject.toml"), str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert ruff.returncode == 0, ruff.stdout[-4000:]
    sources = [root, Path(clea_plugins.__file__).parents[1], Path(clea.kernel.__file__).parents[2]]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(map(str, sources))}
    mypy = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--ignore-missing-imports", "--explicit-package-bases", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:]
