"""The harness itself: a missing service fails under CI (one line) and skips elsewhere; leftovers of
killed runs are cleaned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis
from tests.fixtures.leftovers import delete_stale_redis_keys, drop_stale_test_databases
from tests.fixtures.services import port_open, require_port

ROOT = Path(__file__).resolve().parents[2]

NEEDS_A_CLOSED_PORT = """
from tests.fixtures.services import require_port

def test_needs_a_service():
    require_port(9, "the discard service")
"""


def _run_needing_a_missing_service(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_needs.py").write_text(NEEDS_A_CLOSED_PORT)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = str(ROOT)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:django", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_service_fails_under_ci_with_one_line(tmp_path: Path) -> None:
    assert not port_open(9)
    result = _run_needing_a_missing_service(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout
    assert "missing under CI: the discard service is not reachable on 127.0.0.1:9" in result.stdout
    assert "Traceback" not in result.stdout and "def test_needs_a_service" not in result.stdout


def test_a_missing_service_is_a_counted_skip_outside_ci(tmp_path: Path) -> None:
    result = _run_needing_a_missing_service(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout and "the discard service" in result.stdout


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.mark.db
def test_leftovers_of_a_killed_run_are_dropped(django_db_setup: None) -> None:
    from django.conf import settings

    require_port(6379, "Redis")
    db = settings.DATABASES["default"]
    pid = _dead_pid()
    name = f"test_clea_{pid}"
    with psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        client.set(f"clea-test-{pid}:_kombu.binding.left", "x")
        client.set(f"clea-test-{os.getpid()}:mine", "x", ex=60)
        try:
            # Another run starting meanwhile on this machine may clean them first: what counts is that they go.
            drop_stale_test_databases(admin)
            delete_stale_redis_keys(client)
            assert not client.exists(f"clea-test-{pid}:_kombu.binding.left")
            assert client.exists(f"clea-test-{os.getpid()}:mine")  # a live run's keys are kept
            assert not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchall()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            client.delete(f"clea-test-{os.getpid()}:mine")
