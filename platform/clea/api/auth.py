"""Authentication endpoints and the "who am I" view, common to both URLconfs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.security import confirmed_device, requires_second_factor, verify_second_factor
from clea.audit.trail import append
from clea.error_body import error_payload


class TokenInput(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="Code à usage unique (TOTP) : obligatoire pour federation_admin et jury_member.",
    )


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField()


def _refused(status_code: int, code: str, detail: str) -> Response:
    return Response(error_payload(code, detail), status=status_code)


class TokenView(ObtainAuthToken):
    """Exchange a username and password (and, for federation administrators and jury members, a TOTP code)
    for an API token valid in this schema only.

    Attempts are counted by django-axes per (username, address) in this schema: after
    ``AXES_FAILURE_LIMIT`` failures the pair is locked out for ``AXES_COOLOFF_TIME`` (429).
    """

    serializer_class = TokenInput

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(description="validation_error (identifiants refusés)"),
            401: OpenApiResponse(description="second_factor_required : code TOTP absent ou faux"),
            403: OpenApiResponse(description="second_factor_enrolment_required : aucun appareil TOTP enregistré"),
            429: OpenApiResponse(description="too_many_attempts : trop d'échecs, réessayez plus tard"),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request  # django-axes reads and marks the plain HttpRequest
        user = authenticate(
            http_request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(http_request, "axes_locked_out", False):
            return _refused(
                429, "too_many_attempts", "Trop de tentatives de connexion : réessayez dans quelques minutes."
            )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Identifiant ou mot de passe incorrect."]}, code="authorization"
            )
        if requires_second_factor(user):
            if confirmed_device(user) is None:
                return _refused(
                    403,
                    "second_factor_enrolment_required",
                    "Enregistrez d'abord votre application d'authentification (page de connexion web).",
                )
            if verify_second_factor(user, data.validated_data.get("otp", "")) is None:
                return _refused(401, "second_factor_required", "Code à usage unique absent ou incorrect.")
        token, _ = Token.objects.get_or_create(user=user)
        append("auth.token", actor=user, object_ref=f"user:{user.pk}", detail={"via": "api"})
        return Response({"token": token.key})


class MeView(APIView):
    """The signed-in user and the organisation (schema) the request was routed to."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.IntegerField(),
                "username": serializers.CharField(),
                "email": serializers.EmailField(),
                "role": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "organisation": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        tenant = getattr(request._request, "tenant", None)
        schema = getattr(tenant, "schema_name", "public")
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "email": user.email,
                "role": user.role,
                "roles": [user.role],  # one role per account today; a list so that a second one is not a break
                "organisation": getattr(tenant, "slug", None) if schema != "public" else None,
            }
        )
