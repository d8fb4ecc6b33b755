"""The production path as an operator runs it: ``clea.settings.production`` under gunicorn, static files
collected, several worker processes, the test database pytest-django created (committed data).

The server is another process: tests read and write through HTTP only, or on committed data.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from django.conf import settings
from tests.fixtures.services import require_port

ROOT = Path(__file__).resolve().parents[2]
BASE_DOMAIN = "clea.test"  # the test settings' base domain: the test organisations' Domain rows live under it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = settings.DATABASES["default"]
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(str(db.get('USER') or 'postgres'))}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def production_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, created even when no collected test carries a ``django_db`` mark."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if str(connection.settings_dict["NAME"]).startswith("test_"):
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases=cast(Any, {"default"}))
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEA_", "DJANGO_", "PROMETHEUS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="clea.settings.production",
        SECRET_KEY="production-test-" + "s3cr3t-" * 8,
        CLEA_SIGNING_KEY_PASSPHRASE="production-test-signing-passphrase",
        DATABASE_URL=database_url(),
        CLEA_BASE_DOMAIN=BASE_DOMAIN,
        CLEA_SSL_REDIRECT="0",
        CLEA_CACHE_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CLEA_CELERY_QUEUE=f"clea-test-{os.getpid()}:production",  # under the run's key prefix: cleaned with it
        CLEA_VAR_DIR=str(var_dir),
        CLEA_LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    var_dir: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(
        self, path: str, host: str = BASE_DOMAIN, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url(path), headers={"Host": host, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def collected_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var directory whose static/ holds what ``collectstatic`` writes in the image (Dockerfile)."""
    var = tmp_path_factory.mktemp("clea-production-var")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(var, DATABASE_URL="postgres://collectstatic@127.0.0.1:1/collectstatic"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return var


@pytest.fixture(scope="session")
def gunicorn_factory(
    production_database: None, collected_var: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Server]]:
    require_port(6379, "Redis (production settings use it for the cache)")
    started: list[Server] = []
    logs = tmp_path_factory.mktemp("gunicorn-logs")

    def start(workers: int = 3, **extra_env: str) -> Server:
        port = free_port()
        log = logs / f"gunicorn-{port}.log"
        env = production_env(collected_var, **extra_env)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "clea.wsgi:application",
                "--config=python:clea.observability.gunicorn",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--threads=2",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        server = Server(process, port, log, collected_var)
        started.append(server)
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {log.read_text(errors='replace')[-3000:]}")
            try:
                if server.get("/healthz/live")[0] == 200:
                    return server
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)

    yield start
    for server in started:
        server.stop()


# --- object storage: a real S3-compatible HTTP server (moto's standalone server) ----------------------------

S3_BUCKET = "clea-test-files"


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "CLEA_STORAGE_BACKEND": "s3",
            "CLEA_S3_BUCKET": S3_BUCKET,
            "CLEA_S3_ENDPOINT_URL": self.endpoint,
            "CLEA_S3_REGION": "us-east-1",
            "CLEA_S3_ACCESS_KEY_ID": "clea-test",
            "CLEA_S3_SECRET_ACCESS_KEY": "clea-test-secret",
            "CLEA_S3_ADDRESSING_STYLE": "path",
            "CLEA_S3_SSE": "AES256",
            **extra,
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="clea-test",
            aws_secret_access_key="clea-test-secret",
        )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = S3Server(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.client().create_bucket(Bucket=S3_BUCKET)
            break
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"moto_server did not start: {log.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.3)
    yield server
    process.terminate()
    process.wait(timeout=20)
