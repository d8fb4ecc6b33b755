"""Federation API of the register (``/api/federation/register/``): analysts read, federation admins write.

GET/POST  establishments/                      list (q, region, department, organisation, status) / add
GET       establishments/<id>/                 one establishment with its habilitations and their history
POST      establishments/<id>/habilitations/   grant (or record an application: "status": "applied")
GET       habilitations/<id>/                  one habilitation and its history
POST      habilitations/<id>/decision/         grant an application, suspend, lift, withdraw, expire (reason)
POST      habilitations/<id>/renew/            new end of validity and Qualiopi certificate
GET       habilitations/ended-with-files/      ended habilitations whose organisation had files in progress
GET       accredited-establishments/           find_establishments (region, department, postcode, branch)
GET/POST  training-bodies/                     the register of training bodies (q, region) / add
GET       training-bodies/unmatched/           free-text training organisations left to resolve
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.roles import Role
from clea.api.versioning import IF_MATCH, expected_version
from clea.register import services
from clea.register.api import serializers as s
from clea_tenants import training_bodies
from clea_tenants.models import Establishment, Habilitation, Organisation, TrainingBody


class AnalystReadsAdminWrites(BasePermission):
    message = "Votre rôle ne permet pas cette action. / Your role does not allow this action."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user: Any = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            return bool(user.role in (Role.ANALYST, Role.FEDERATION_ADMIN))
        return bool(user.role == Role.FEDERATION_ADMIN)


FILTERS = [
    OpenApiParameter("q", str, description="Nom, SIRET, commune ou organisme"),
    OpenApiParameter("region", str, description="Code INSEE de la région"),
    OpenApiParameter("department", str),
    OpenApiParameter("organisation", str, description="Identifiant (slug) de l'organisme"),
    OpenApiParameter("status", str, description="Statut d'une de ses habilitations"),
]


class EstablishmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Establishment]
):
    permission_classes = (AnalystReadsAdminWrites,)
    serializer_class = s.EstablishmentSerializer
    filter_backends: tuple[Any, ...] = ()

    def get_queryset(self) -> QuerySet[Establishment]:
        params = self.request.query_params
        return services.establishments(
            params.get("q", ""),
            params.get("region", ""),
            params.get("department", ""),
            params.get("status", ""),
            params.get("organisation", ""),
        ).prefetch_related("habilitations__events", "habilitations__branch")

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.EstablishmentInputSerializer, responses={201: s.EstablishmentSerializer, 400: s.ERROR})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.EstablishmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = Organisation.objects.filter(slug=values.pop("organisation")).first()
        if organisation is None:
            raise ValidationError({"organisation": ValidationError("Organisme inconnu.", code="does_not_exist")})
        establishment = services.add_establishment(organisation, services.EstablishmentInput(**values), request.user)
        return Response(s.EstablishmentSerializer(establishment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HabilitationInputSerializer, responses={201: s.HabilitationSerializer, 400: s.ERROR})
    @action(detail=True, methods=["post"], url_path="habilitations")
    def habilitations(self, request: Request, pk: str | None = None) -> Response:
        establishment = self.get_object()
        data = s.HabilitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        applied_only = values.pop("status") == "applied"
        reason = values.pop("reason")
        given = services.HabilitationInput(**values)
        if applied_only:
            habilitation = services.apply_for(establishment, given, request.user)
        else:
            habilitation = services.grant(establishment, given, reason, request.user)
        return Response(s.HabilitationSerializer(habilitation).data, status=status.HTTP_201_CREATED)


class HabilitationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Habilitation]):
    permission_classes = (AnalystReadsAdminWrites,)
    serializer_class = s.HabilitationSerializer
    filter_backends: tuple[Any, ...] = ()
    queryset = Habilitation.objects.select_related("establishment__organisation", "branch").prefetch_related("events")

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses={200: s.HabilitationSerializer, 400: s.ERROR, 409: s.ERROR},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        habilitation = services.decide(
            self.get_object(),
            data.validated_data["status"],
            data.validated_data["reason"],
            request.user,
            data.validated_data.get("effective_on"),
            expected_version=expected_version(request, data.validated_data),
        )
        return Response(s.HabilitationSerializer(habilitation).data)

    @extend_schema(
        request=s.RenewInputSerializer,
        responses={200: s.HabilitationSerializer, 400: s.ERROR, 409: s.ERROR},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        data = s.RenewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = expected_version(request, {"version": values.pop("version", None)})
        habilitation = services.renew(self.get_object(), user=request.user, expected_version=version, **values)
        return Response(s.HabilitationSerializer(habilitation).data)

    @extend_schema(responses={200: s.EndedWithFilesSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="ended-with-files", pagination_class=None)
    def ended_with_files(self, request: Request) -> Response:
        rows = [
            {"habilitation": s.HabilitationSerializer(h).data, "files": [vars(f) for f in files]}
            for h, files in services.ended_with_files()
        ]
        return Response(s.EndedWithFilesSerializer(rows, many=True).data)


class AccreditedEstablishmentsView(APIView):
    """Establishments of accredited organisations in force today (what prescribers search)."""

    permission_classes = (AnalystReadsAdminWrites,)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str),
            OpenApiParameter("department", str),
            OpenApiParameter("postcode", str),
            OpenApiParameter("branch", str),
        ],
        responses={200: s.EstablishmentBriefSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        found = services.find_establishments(
            region=params.get("region") or None,
            department=params.get("department") or None,
            postcode=params.get("postcode") or None,
            branch=params.get("branch") or None,
        )
        return Response(s.EstablishmentBriefSerializer(found, many=True).data)


class TrainingBodyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[TrainingBody]
):
    permission_classes = (AnalystReadsAdminWrites,)
    serializer_class = s.TrainingBodySerializer
    filter_backends: tuple[Any, ...] = ()

    def get_queryset(self) -> QuerySet[TrainingBody]:
        return training_bodies.search(
            self.request.query_params.get("q", ""), self.request.query_params.get("region", "")
        )

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("region", str)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.TrainingBodyInputSerializer, responses={201: s.TrainingBodySerializer, 400: s.ERROR})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.TrainingBodyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = training_bodies.create(user=request.user, **data.validated_data)
        return Response(s.TrainingBodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.UnmatchedSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def unmatched(self, request: Request) -> Response:
        return Response(s.UnmatchedSerializer(training_bodies.unmatched(), many=True).data)
