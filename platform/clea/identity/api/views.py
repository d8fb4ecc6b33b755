"""Identity API (organisation host, staff):

GET|PUT /api/candidates/<id>/identity/            the candidate's civil identity (R15)
GET     /api/geography/communes/?postcode=&name=   postcode and/or commune name → INSEE codes (to choose)
GET     /api/geography/communes/<insee code>/      one commune
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF
from clea.api.versioning import IF_MATCH, VersionInput, expected_version
from clea.identity import geography, services
from clea.identity.models import Civility
from clea.journey.api.serializers import ErrorOutput
from clea.journey.models import Candidate


class IdentityInput(VersionInput):
    civility = serializers.ChoiceField(choices=Civility.choices)
    birth_name = serializers.CharField(max_length=100)
    usage_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    first_names = serializers.ListField(child=serializers.CharField(max_length=60), min_length=1, max_length=10)
    birth_date = serializers.DateField()
    birth_country = serializers.CharField(max_length=2, required=False, default="FR")
    birth_insee_code = serializers.CharField(max_length=5, required=False, allow_blank=True, default="")
    birth_postcode = serializers.CharField(
        max_length=5, required=False, allow_blank=True, default="", help_text="Résolu en code INSEE avec le nom."
    )
    birth_commune_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    birth_town_abroad = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class CommuneOutput(serializers.Serializer[Any]):
    insee_code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="C actuelle, D déléguée, A associée, M arrondissement municipal")
    department = serializers.CharField()
    postcodes = serializers.ListField(child=serializers.CharField())


class IdentityOutput(serializers.Serializer[Any]):
    civility = serializers.CharField()
    birth_name = serializers.CharField()
    usage_name = serializers.CharField()
    first_names = serializers.ListField(child=serializers.CharField())
    birth_date = serializers.DateField()
    born_abroad = serializers.BooleanField()
    birth_country = serializers.CharField()
    birth_insee_code = serializers.CharField()
    birth_commune_name = serializers.CharField()
    birth_town_abroad = serializers.CharField()
    geography_version = serializers.CharField()
    version = serializers.IntegerField(help_text="À renvoyer (ou en-tête If-Match) avec la modification suivante.")


class AmbiguousOutput(serializers.Serializer[Any]):
    birth_insee_code = serializers.ListField(child=serializers.CharField())
    choices = CommuneOutput(many=True)


class CandidateIdentityView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(responses={200: IdentityOutput, 404: ErrorOutput})
    def get(self, request: Request, pk: int) -> Response:
        candidate = get_object_or_404(Candidate, pk=pk)
        data = services.as_dict(services.identity_of(candidate))
        if data is None:
            return Response({"detail": "État civil non renseigné."}, status=status.HTTP_404_NOT_FOUND)
        return Response(data)

    @extend_schema(
        request=IdentityInput,
        responses={200: IdentityOutput, 400: AmbiguousOutput, 404: ErrorOutput},
        parameters=[IF_MATCH],
    )
    def put(self, request: Request, pk: int) -> Response:
        candidate = get_object_or_404(Candidate, pk=pk)
        given = IdentityInput(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        version = expected_version(request, {"version": values.pop("version", None)})
        try:
            identity = services.save_identity(int(candidate.pk), values, actor=request.user, expected_version=version)
        except services.FieldErrors as exc:
            body: dict[str, Any] = dict(exc.errors)
            if exc.choices is not None:
                body["choices"] = exc.choices
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(services.as_dict(identity))


class CommuneSearchView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(
        parameters=[
            OpenApiParameter("postcode", str, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("name", str, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("code", str, OpenApiParameter.QUERY, required=False, description="un code INSEE"),
        ],
        responses={200: CommuneOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        code = str(request.query_params.get("code", ""))[:5]
        if code:
            commune = geography.commune(code)
            return Response([commune.as_dict()] if commune else [])
        postcode = str(request.query_params.get("postcode", ""))[:5]
        name = str(request.query_params.get("name", ""))[:120]
        if not postcode and len(name.strip()) < 2:
            raise ValidationError(
                {"postcode": ["Indiquez un code postal ou un nom de commune (2 lettres au moins)."]}, code="one_of"
            )
        found = geography.resolve(postcode=postcode, name=name)
        return Response([c.as_dict() for c in found.choices[:50]])
