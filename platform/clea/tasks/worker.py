"""Starting a Celery worker as a subprocess, with the project's source roots on its path.

Used by ``manage.py demo``, the tests (``tests/tasks``) and the benchmark.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCE_ROOTS = ("platform", "tenants", "plugins")


def worker_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment, with ``PYTHONPATH`` holding the source roots (never the repository root)."""
    env = dict(os.environ)
    roots = [str(ROOT / name) for name in SOURCE_ROOTS]
    existing = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*roots, *(p for p in existing if p not in roots)])
    env.update(extra or {})
    return env


def worker_command(
    *,
    name: str = "clea",
    concurrency: int = 1,
    queues: Sequence[str] = (),
    pool: str = "prefork",
    loglevel: str = "info",
    beat: bool = False,
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "clea.celery",
        "worker",
        f"--loglevel={loglevel}",
        f"--hostname={name}@%h",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        "--without-gossip",
        "--without-mingle",
    ]
    if queues:
        command.append(f"--queues={','.join(queues)}")
    if beat:
        command += ["--beat", "--scheduler=clea.tasks.scheduler:CleaDatabaseScheduler"]
    return command


def start_worker(
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    **options: object,
) -> subprocess.Popen[bytes]:
    """Start ``celery -A clea.celery worker`` in its own process group (so it can be killed whole)."""
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    return subprocess.Popen(
        worker_command(**options),  # type: ignore[arg-type]
        cwd=ROOT,
        env=worker_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
