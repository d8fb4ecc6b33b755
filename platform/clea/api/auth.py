"""Authentication endpoints and the "who am I" view, common to both URLconfs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (valid in this schema only)."""


class MeView(APIView):
    """The signed-in user and the organisation (schema) the request was routed to."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "email": serializers.EmailField(),
                "role": serializers.CharField(),
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
                "username": user.username,
                "email": user.email,
                "role": user.role,
                "organisation": getattr(tenant, "slug", None) if schema != "public" else None,
            }
        )
