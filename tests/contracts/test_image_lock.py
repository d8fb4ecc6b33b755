"""The image installs exactly the locked, hashed distributions (requirements/image.lock), on a pinned base."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "image.lock"


def requirement_name(spec: str) -> str:
    name = re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, list[str]]:
    """``{name: [hashes]}`` of every pinned entry."""
    entries: dict[str, list[str]] = {}
    current = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+", line):
            current = requirement_name(match.group(1))
            entries[current] = []
        elif "--hash=sha256:" in line and current:
            entries[current].append(line.split("--hash=sha256:")[1].split()[0])
    return entries


def test_every_runtime_dependency_is_pinned_with_hashes() -> None:
    pins = locked()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for spec in project["dependencies"]:
        assert requirement_name(spec) in pins, f"{spec} is not in requirements/image.lock: scripts/lock-image-deps.sh"
    for name, hashes in pins.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
    dev = {requirement_name(s) for s in project["optional-dependencies"]["dev"]}
    assert not dev & {"pytest", "mypy", "ruff", "moto", "playwright"} & set(pins)  # no test tools in the image
    text = LOCK.read_text(encoding="utf-8")
    assert "--find-links" not in text and "--index-url" not in text  # nothing of this machine


def test_branch_plugins_need_nothing_the_lock_lacks() -> None:
    pins = locked()
    for project_file in sorted((ROOT / "branch_modalities").glob("*/pyproject.toml")):
        project = tomllib.loads(project_file.read_text(encoding="utf-8"))["project"]
        for spec in project.get("dependencies", []):
            assert requirement_name(spec) in pins, (project_file, spec)


def test_the_dockerfile_installs_from_the_lock_on_a_pinned_base() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --require-hashes --no-deps -r requirements/image.lock" in dockerfile
    assert 'pip install --no-deps "$@"' in dockerfile  # the local packages add nothing unlocked
    froms = re.findall(r"^FROM (\S+)", dockerfile, flags=re.M)
    assert froms and all(f == "${PYTHON_IMAGE}@${PYTHON_DIGEST}" for f in froms)
    assert "fonts-dejavu-core" in dockerfile  # clea/pdf.py prefers DejaVu Sans
