from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clea.accounts.permissions import IsFederationAdmin
from clea.api.errors import ConflictError
from clea.api.versioning import IF_MATCH, expected_version, with_etag
from clea_tenants import services
from clea_tenants.api.serializers import (
    OrganisationCreateSerializer,
    OrganisationSerializer,
    ProvisioningStatusSerializer,
)
from clea_tenants.models import Organisation, ProvisioningJob
from clea_tenants.provisioning import request_provisioning


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Organisation]
):
    """Evaluating organisations, for the federation's administrators."""

    permission_classes = (IsFederationAdmin,)
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    filterset_fields = ("status", "region")

    def get_queryset(self) -> QuerySet[Organisation]:
        queryset: QuerySet[Organisation] = Organisation.objects.prefetch_related("domains").order_by("slug")
        return queryset

    @extend_schema(request=OrganisationCreateSerializer, responses={202: ProvisioningStatusSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate and start provisioning; 202 with the URL to poll."""
        serializer = OrganisationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = request_provisioning(
            OrganisationCreateSerializer.to_input(serializer.validated_data),
            serializer.validated_data["admin_password"],
        )
        status_url = reverse("federation-organisation-status", kwargs={"slug": job.slug}, request=request)
        body = {**ProvisioningStatusSerializer(job).data, "status_url": status_url}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})

    @extend_schema(responses=ProvisioningStatusSerializer)
    @action(detail=True, methods=["get"], url_path="status", url_name="status")
    def provisioning_status(self, request: Request, slug: str) -> Response:
        """Where provisioning stands: pending, running, ready or failed."""
        job = ProvisioningJob.objects.filter(slug=slug).select_related("organisation").first()
        if job is None:
            get_object_or_404(Organisation, slug=slug)  # created outside the API: it is ready
            organisation = Organisation.objects.get(slug=slug)
            job = ProvisioningJob(slug=slug, status="ready", organisation=organisation)
        return Response(ProvisioningStatusSerializer(job).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = self.get_object()
        return with_etag(Response(OrganisationSerializer(organisation).data), organisation)

    @extend_schema(request=None, responses=OrganisationSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, slug: str) -> Response:
        """Make the organisation read-only."""
        organisation = services.suspend(self.get_object(), expected_version(request))
        return with_etag(Response(OrganisationSerializer(organisation).data), organisation)

    @extend_schema(request=None, responses=OrganisationSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, slug: str) -> Response:
        """Lift a suspension."""
        organisation = services.reactivate(self.get_object(), expected_version(request))
        return with_etag(Response(OrganisationSerializer(organisation).data), organisation)

    @extend_schema(parameters=[IF_MATCH])
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance: Organisation) -> None:
        """Refused (409) unless a full export was made."""
        try:
            services.delete_organisation(instance, expected_version(self.request))
        except services.ExportRequired as exc:
            raise ConflictError(str(exc), code=exc.code) from exc
