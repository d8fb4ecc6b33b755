"""``GET /api/audit/`` (an organisation's administrators) and ``GET /api/federation/audit/`` (the federation):
the trail of the schema the request was routed to, newest first, with the result of a chain check."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission

from clea.accounts.permissions import IsFederationAdmin, IsOrganisationAdmin
from clea.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "schema_name",
            "actor_ref",
            "actor_role",
            "action",
            "object_ref",
            "detail",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class _AuditTrailView(generics.ListAPIView[AuditEntry]):
    serializer_class = AuditEntrySerializer
    filterset_fields = {"action": ["exact"], "actor_ref": ["exact"], "object_ref": ["exact"], "at": ["gte", "lte"]}

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.order_by("-seq")

    @extend_schema(summary="Journal d'audit (chaîné, en ajout seul) de cet espace")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)


class TenantAuditTrailView(_AuditTrailView):
    """The organisation's trail: decisions, accesses to files, exports and erasures, sign-ins."""

    permission_classes: list[type[BasePermission]] = [IsOrganisationAdmin]


class FederationAuditTrailView(_AuditTrailView):
    """The federation's trail (public schema)."""

    permission_classes: list[type[BasePermission]] = [IsFederationAdmin]
