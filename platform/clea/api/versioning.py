"""The API side of optimistic concurrency (:mod:`clea.versioning`): ``If-Match`` in, ``ETag`` out.

Every change to an existing resource takes the version the client read, as the ``If-Match`` header (the ETag
of its GET) or as a body ``version``; a stale one answers 409 ``version_conflict`` and changes nothing. A
client that sends neither is not checked (the change is still atomic and writes only the fields sent).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clea.versioning import Versioned, update_versioned

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="ETag lu par le client (réponse d'un GET) : 409 version_conflict s'il a changé.",
    pattern=r'^(W/)?"?[A-Za-z0-9_-]*-[0-9]+"?$',
)


class VersionInput(serializers.Serializer[Any]):
    """Mixed into an action's input: the optional body ``version`` (same meaning as ``If-Match``)."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Version lue par le client (ou en-tête If-Match) : 409 si elle a changé.",
    )


def expected_version(request: Request, data: dict[str, Any] | None = None) -> int | None:
    """The version the client read: body ``version`` (``data``, else the raw body) or ``If-Match``."""
    body = data if data is not None else (request.data if isinstance(request.data, dict) else {})
    if body.get("version") is not None:
        raw = str(body["version"])
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"version": ["Version invalide : un entier positif est attendu."]})
        return int(raw)
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    if header:
        _, _, version = header.rpartition("-")
        if version.isdigit():
            return int(version)
        raise ValidationError({"If-Match": ["En-tête If-Match invalide : utilisez l'ETag reçu."]})
    return None


def with_etag(response: Response, instance: Versioned | Any) -> Response:
    response["ETag"] = instance.etag
    return response


class VersionedUpdateMixin:
    """For a model viewset of a :class:`~clea.versioning.Versioned` model: GET answers the ETag; PUT/PATCH
    honour ``If-Match``/``version`` and write only the fields sent (:func:`~clea.versioning.update_versioned`).

    The serializer lists ``version`` as read-only; ``what_fr`` names the resource in the 409's message.
    """

    what_fr = "Cet élément"

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        return with_etag(Response(self.get_serializer(instance).data), instance)  # type: ignore[attr-defined]

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        partial = bool(kwargs.get("partial", False))
        serializer = self.get_serializer(instance, data=request.data, partial=partial)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        version = expected_version(request)
        updated = update_versioned(
            type(instance), instance.pk, dict(serializer.validated_data), version, what_fr=self.what_fr
        )
        return with_etag(Response(self.get_serializer(updated).data), updated)  # type: ignore[attr-defined]

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
