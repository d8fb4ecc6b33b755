"""Federation API (public schema): the branch registry and the organisations' accreditations.

    GET  /api/federation/branches/                                           registered branches
    GET  /api/federation/organisations/<slug>/accreditations/                active and revoked accreditations
    POST /api/federation/organisations/<slug>/accreditations/   {"branch": "btp"}      grant (201)
    POST /api/federation/organisations/<slug>/accreditations/<branch>/revoke/         revoke (200)

Federation administrators only. Each change bumps the organisation's ``accreditation_version``, so the
organisation's next request dispatches to the new set of branch plugins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import IsFederationAdmin
from clea.api.versioning import IF_MATCH, VersionInput, expected_version
from clea_plugins.manager import get_host
from clea_tenants import accreditations
from clea_tenants.models import Accreditation, Branch, Organisation

ERROR = inline_serializer(
    "FederationError",
    {
        "code": serializers.CharField(),
        "rule": serializers.CharField(allow_null=True),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


class BranchSerializer(serializers.ModelSerializer[Branch]):
    installed = serializers.SerializerMethodField(help_text="Le module (plugin) de la branche est installé.")
    version = serializers.SerializerMethodField(help_text="Version du module installé ('' s'il ne l'est pas).")
    description = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    active_accreditations = serializers.IntegerField(read_only=True)

    class Meta:
        model = Branch
        fields = (
            "code",
            "name",
            "plugin_name",
            "installed",
            "version",
            "description",
            "contact",
            "active_accreditations",
        )
        read_only_fields = fields

    def _identity(self, branch: Branch) -> Any:
        return get_host().identities().get(branch.code)

    def get_installed(self, branch: Branch) -> bool:
        return self._identity(branch) is not None

    def get_version(self, branch: Branch) -> str:
        identity = self._identity(branch)
        return str(identity.version) if identity else ""

    def get_description(self, branch: Branch) -> str:
        identity = self._identity(branch)
        return str(identity.description) if identity else ""

    def get_contact(self, branch: Branch) -> str:
        identity = self._identity(branch)
        return str(identity.contact) if identity else ""


class AccreditationSerializer(serializers.ModelSerializer[Accreditation]):
    branch = serializers.CharField(source="branch.code", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Accreditation
        fields = ("branch", "branch_name", "granted_at", "revoked_at", "active")
        read_only_fields = fields


class GrantInput(VersionInput):
    branch = serializers.SlugField(max_length=40, help_text="Code de la branche (GET /api/federation/branches/).")


class AccreditationListOutput(serializers.Serializer[Any]):
    organisation = serializers.CharField(help_text="Identifiant (slug) de l'organisme.")
    accreditation_version = serializers.IntegerField()
    active_branches = serializers.ListField(child=serializers.CharField())
    accreditations = AccreditationSerializer(many=True)


class AccreditationChangeOutput(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    accreditation_version = serializers.IntegerField()
    accreditation = AccreditationSerializer()


class BranchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Branch]):
    """The branch registry: one row per branch plugin ever synchronised (``manage.py sync_branches``)."""

    permission_classes = (IsFederationAdmin,)
    serializer_class = BranchSerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Branch]:
        queryset: QuerySet[Branch] = Branch.objects.annotate(
            active_accreditations=Count("accreditations", filter=Q(accreditations__revoked_at__isnull=True))
        ).order_by("code")
        return queryset


def _list_body(organisation: Organisation) -> dict[str, Any]:
    items = accreditations.accreditations_of(organisation)
    return {
        "organisation": organisation.slug,
        "accreditation_version": organisation.accreditation_version,
        "active_branches": sorted(a.branch.code for a in items if a.is_active),
        "accreditations": AccreditationSerializer(items, many=True).data,
    }


def _change_body(organisation: Organisation, accreditation: Accreditation) -> dict[str, Any]:
    return {
        "organisation": organisation.slug,
        "accreditation_version": organisation.accreditation_version,
        "accreditation": AccreditationSerializer(accreditation).data,
    }


class OrganisationAccreditationsView(APIView):
    """Accreditations of one organisation: list (history included) and grant."""

    permission_classes = (IsFederationAdmin,)

    @extend_schema(responses={200: AccreditationListOutput, 404: ERROR})
    def get(self, request: Request, slug: str) -> Response:
        """Active and revoked accreditations of the organisation, and its accreditation version."""
        organisation = get_object_or_404(Organisation, slug=slug)
        response = Response(_list_body(organisation))
        response["ETag"] = f'"accreditations-{organisation.pk}-{organisation.accreditation_version}"'
        return response

    @extend_schema(
        request=GrantInput,
        responses={
            201: AccreditationChangeOutput,
            400: OpenApiResponse(ERROR, description="unknown_branch, branch_not_installed, already_accredited"),
            404: ERROR,
            409: OpenApiResponse(ERROR, description="version_conflict: the accreditations changed meanwhile"),
        },
        parameters=[IF_MATCH],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Accredit the organisation for a branch (R3); its plugin then applies in that organisation."""
        organisation = get_object_or_404(Organisation, slug=slug)
        serializer = GrantInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        accreditation = accreditations.grant(
            organisation,
            serializer.validated_data["branch"],
            expected_version=expected_version(request, serializer.validated_data),
        )
        return Response(_change_body(organisation, accreditation), status=status.HTTP_201_CREATED)


class RevokeAccreditationView(APIView):
    """End an organisation's active accreditation for a branch (kept in the history)."""

    permission_classes = (IsFederationAdmin,)

    @extend_schema(
        request=None,
        responses={
            200: AccreditationChangeOutput,
            400: OpenApiResponse(ERROR, description="not_accredited"),
            404: ERROR,
            409: OpenApiResponse(ERROR, description="version_conflict: the accreditations changed meanwhile"),
        },
        parameters=[IF_MATCH],
    )
    def post(self, request: Request, slug: str, branch: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        accreditation = accreditations.revoke(organisation, branch, expected_version=expected_version(request, {}))
        return Response(_change_body(organisation, accreditation))
