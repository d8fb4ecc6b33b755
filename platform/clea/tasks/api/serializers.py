from __future__ import annotations

from rest_framework import serializers

from clea.outbox.models import OutboxMessage
from clea.tasks.models import FailedTask


class FailedTaskSerializer(serializers.ModelSerializer[FailedTask]):
    class Meta:
        model = FailedTask
        fields = (
            "id",
            "task_id",
            "task_name",
            "args",
            "kwargs",
            "schema_name",
            "exception",
            "traceback",
            "retries",
            "failed_at",
            "retried_at",
            "retry_task_id",
        )
        read_only_fields = fields


class OutboxMessageSerializer(serializers.ModelSerializer[OutboxMessage]):
    class Meta:
        model = OutboxMessage
        fields = (
            "id",
            "task_name",
            "args",
            "kwargs",
            "schema_name",
            "created_at",
            "next_attempt_at",
            "attempts",
            "sent_at",
            "failed_at",
            "last_error",
        )
        read_only_fields = fields
