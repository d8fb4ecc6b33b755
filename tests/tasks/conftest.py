"""Real Celery workers for the task tests.

A session worker (``celery -A clea.celery worker``, prefork, 2 processes) runs against Redis and the
pytest-django test database (its name is passed through ``DATABASE_URL``), with a queue and Redis key
prefix of this run's own (``clea.settings.test``). The worker is another process: tests work on
*committed* data (``committed`` fixture), in two organisations of their own, and clean nothing up
(the test database is dropped at the end of the session).

E-mails go by SMTP to an aiosmtpd server run by the tests, which can refuse chosen recipients.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from django.conf import settings
from tests.fixtures.services import require_port
from tests.fixtures.tenants import provision_test_organisation

from clea.tasks.worker import start_worker

pytestmark = [pytest.mark.db, pytest.mark.worker]

WAIT_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_SECONDS, what: str = "condition") -> Any:
    """Poll until ``condition()`` is truthy (the worker is another process); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


# --- SMTP ---------------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the test SMTP server received; addresses in ``refused`` get a temporary failure (451)."""

    port: int = 0
    messages: list[Message] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in str(m.get("To", ""))]

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refused:
            return "451 4.3.0 Service temporairement indisponible"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


# --- database and organisations ----------------------------------------------------------------------


def database_url() -> str:
    """The URL of the test database pytest-django created (``test_…``), for the worker processes."""
    db = settings.DATABASES["default"]
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(str(db.get('USER') or 'postgres'))}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def task_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, even when no collected test carries a ``django_db`` mark.

    pytest-django only creates the test databases that marked tests use; these tests commit for real and
    so carry no such mark. Without this, running ``tests/tasks`` alone would write to the configured
    database itself.
    """
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


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Worker and tests share one MEDIA_ROOT, outside the repository."""
    var = tmp_path_factory.mktemp("clea-var")
    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = var / "media"
    yield var
    settings.MEDIA_ROOT = previous


@pytest.fixture(scope="session")
def task_orgs(task_database: None, tenant_template: None, django_db_blocker: Any) -> tuple[Any, Any]:
    """Two organisations of the task tests' own (committed): A gets the work, B must stay untouched."""
    with django_db_blocker.unblock():
        return provision_test_organisation("tasks-alpha", "3333333300001"), provision_test_organisation(
            "tasks-beta", "5555555500001"
        )


@pytest.fixture
def committed(task_database: None, django_db_blocker: Any) -> Iterator[None]:
    """Database access without a wrapping transaction: what the test writes is committed, so workers see it."""
    from clea_tenants.schemas import use_public_schema

    with django_db_blocker.unblock():
        yield
        use_public_schema()


# --- workers -------------------------------------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    name: str
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes: no clean shutdown, no acknowledgement."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def worker_factory(
    task_database: None, mailbox: Mailbox, media_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Worker]]:
    require_port(6379, "Redis (the task tests need a real broker)")
    import clea.celery  # noqa: F401  - the test process sends through the same app
    from clea.celery import app

    started: list[Worker] = []
    logs = tmp_path_factory.mktemp("worker-logs")

    def start(
        name: str, *, concurrency: int = 1, queues: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> Worker:
        worker_env = {
            "DJANGO_SETTINGS_MODULE": "clea.settings.test",
            "DATABASE_URL": database_url(),
            "CLEA_TEST_RUN_ID": settings.CLEA_TEST_RUN_ID,
            "CLEA_VAR_DIR": str(media_root),
            "CLEA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            **(env or {}),
        }
        log = logs / f"{name}.log"
        process = start_worker(env=worker_env, log_path=log, name=name, concurrency=concurrency, queues=queues)
        worker = Worker(process, name, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    with app.connection_for_write() as connection:  # leave nothing of this run in Redis
        client = connection.default_channel.client
        prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


@pytest.fixture(scope="session")
def worker(worker_factory: Callable[..., Worker], task_orgs: tuple[Any, Any]) -> Worker:
    """The session's worker on the default queue, ready (it answered a probe)."""
    from clea.tasks.diagnostics import probe

    running = worker_factory("tasks-main", concurrency=2)
    probe.delay(f"ready-{uuid.uuid4()}").get(timeout=WAIT_SECONDS)
    return running
