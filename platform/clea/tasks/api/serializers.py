from __future__ import annotations

from rest_framework import serializers

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
