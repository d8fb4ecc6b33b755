"""Dashboard API: ``GET /api/federation/dashboard/`` (public host) and ``GET /api/dashboard/`` (organisation)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import HasRole, IsOrganisationAdmin
from clea.accounts.roles import Role
from clea.dashboards import figures
from clea.dashboards.serializers import (
    FederationQuerySerializer,
    FiguresSerializer,
    OrganisationDashboardSerializer,
    PeriodQuerySerializer,
)


class FederationDashboardView(APIView):
    """National figures, with filters (federation administrators and analysts)."""

    permission_classes = [HasRole(Role.FEDERATION_ADMIN, Role.ANALYST)]

    @extend_schema(
        operation_id="federation_dashboard",
        summary="Tableau de bord national",
        description=(
            "Les chiffres nationaux (entonnoir des étapes, taux de certification, passage direct au jury, délais, "
            "sous-domaines à acquérir, durées de formation, jurys), filtrés par période, région, branche, "
            "organisme et type de prescripteur. Calculés à partir des agrégats des faits pseudonymisés."
        ),
        parameters=[FederationQuerySerializer],
        responses=FiguresSerializer,
        tags=["dashboards"],
    )
    def get(self, request: Request) -> Response:
        query = FederationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(figures.compute(query.filters()))


class OrganisationDashboardView(APIView):
    """This organisation's figures beside the national ones (organisation administrators)."""

    permission_classes = [IsOrganisationAdmin]

    @extend_schema(
        operation_id="organisation_dashboard",
        summary="Indicateurs de l'organisme et nationaux",
        parameters=[PeriodQuerySerializer],
        responses=OrganisationDashboardSerializer,
        tags=["dashboards"],
    )
    def get(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slug = str(request.tenant.slug)  # type: ignore[attr-defined]
        return Response(
            {
                "organisation": figures.compute(query.filters(organisation=slug)),
                "national": figures.compute(query.filters()),
            }
        )
