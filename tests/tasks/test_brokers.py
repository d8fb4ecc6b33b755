"""The same tasks over RabbitMQ (AMQP): the broker is a URL, nothing else changes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from celery import Celery
from django.conf import settings
from django_tenants.utils import schema_context
from tests.fixtures.services import require_port
from tests.tasks.conftest import WAIT_SECONDS

from clea.tasks.models import TaskProbe

pytestmark = [pytest.mark.db, pytest.mark.worker]

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"


def test_a_tenant_task_through_rabbitmq(committed: None, worker_factory: Any, task_orgs: tuple[Any, Any]) -> None:
    require_port(5672, "RabbitMQ (the AMQP broker test)")
    org_a, _ = task_orgs
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-amqp"
    rabbit = worker_factory("amqp", queues=(queue,), env={"CELERY_BROKER_URL": AMQP_URL})
    sender = Celery("clea-amqp-sender", broker=AMQP_URL, backend=settings.CELERY_RESULT_BACKEND)
    token = str(uuid.uuid4())
    try:
        with schema_context(org_a.schema_name):
            result = sender.send_task(
                "clea.tasks.diagnostics.probe",
                args=[token],
                queue=queue,
                headers={"_schema_name": org_a.schema_name},
            )
        assert result.get(timeout=WAIT_SECONDS)["schema"] == org_a.schema_name
        row = TaskProbe.objects.get(token=token)
        assert row.schema_name == org_a.schema_name and row.hostname.startswith("amqp@")
    finally:
        rabbit.stop()
        with sender.connection_for_write() as connection:  # leave no queue of this run behind
            connection.default_channel.queue_delete(queue)
