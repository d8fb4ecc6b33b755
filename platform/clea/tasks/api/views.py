"""Federation API (public schema): failed tasks and undeliverable outbox rows, for the federation's admins."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clea.accounts.permissions import IsFederationAdmin
from clea.outbox.models import OutboxMessage
from clea.outbox.relay import given_up, pending, resend
from clea.tasks.api.serializers import FailedTaskSerializer, OutboxMessageSerializer
from clea.tasks.failures import retry_failed
from clea.tasks.models import FailedTask


class FailedTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[FailedTask]):
    """Tasks that failed for good. ``?all=1`` includes those already sent again."""

    permission_classes = (IsFederationAdmin,)
    serializer_class = FailedTaskSerializer
    filterset_fields = ("task_name", "schema_name")

    def get_queryset(self) -> QuerySet[FailedTask]:
        queryset = FailedTask.objects.order_by("-failed_at", "-id")
        if self.request.query_params.get("all") in ("1", "true"):
            return queryset
        return queryset.filter(retried_at__isnull=True)

    @extend_schema(request=None, responses={202: FailedTaskSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        """Send the task again (same arguments, same schema); 202 with the new task id."""
        failed = self.get_object()
        retry_failed(failed)
        return Response(FailedTaskSerializer(failed).data, status=status.HTTP_202_ACCEPTED)


class OutboxMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[OutboxMessage]):
    """Follow-ups the outbox could not hand to the broker after every attempt (``?pending=1``: those still
    waiting for their next attempt instead)."""

    permission_classes = (IsFederationAdmin,)
    serializer_class = OutboxMessageSerializer
    filterset_fields = ("task_name", "schema_name")

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        if self.request.query_params.get("pending") in ("1", "true"):
            return pending().order_by("id")
        return given_up()

    @extend_schema(request=None, responses={202: OutboxMessageSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str) -> Response:
        """Make the row pending again and try to send it now; 202 with the row as it is then."""
        message = self.get_object()
        resend(message)
        message.refresh_from_db()
        return Response(OutboxMessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
