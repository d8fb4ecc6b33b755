"""The repository layout never shadows the standard library's ``platform`` module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clea.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def test_platform_folder_is_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_import_platform_from_repo_root_gives_the_stdlib() -> None:
    out = _run("import platform, uuid; print(platform.system()); print(platform.__file__)")
    system, path = out.splitlines()
    assert system == "Linux"
    assert not path.startswith(str(ROOT / "platform"))


def test_manage_py_keeps_the_stdlib_platform() -> None:
    code = (
        "import runpy, sys; sys.argv = ['manage.py', 'shell', '-c', "
        "'import platform, clea; print(platform.system(), clea.__name__)']; "
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    assert _run(code).splitlines()[-1] == "Linux clea"
