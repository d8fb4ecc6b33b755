"""Federation API (public schema): failed tasks, for the federation's administrators."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clea.accounts.permissions import IsFederationAdmin
from clea.tasks.api.serializers import FailedTaskSerializer
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
