"""The federation's DID document (``/.well-known/did.json``, did:web): what a verifier resolves a ``kid`` with."""

from __future__ import annotations

from django.http import JsonResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request

from clea.certification import did, signing
from clea.certification.api.public import TokenView

DID_JSON = "application/did+json"


class DIDDocumentView(TokenView):
    """The federation's DID document (did:web): every signing key, current and previous, as a verification
    method ``<did>#<thumbprint>``; it also carries the issuer's OB 3.0 Profile members."""

    @extend_schema(
        responses=inline_serializer(
            "DIDDocument",
            {
                "id": serializers.CharField(),
                "verificationMethod": serializers.ListField(child=serializers.DictField()),
                "assertionMethod": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request: Request) -> JsonResponse:
        signing.active_key()  # a fresh installation publishes its key before it signs anything
        wanted = DID_JSON if DID_JSON in request.headers.get("Accept", "") else "application/json"
        response = JsonResponse(did.did_document(), content_type=wanted, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "public, max-age=300"
        response["Access-Control-Allow-Origin"] = "*"  # browser-based verifiers and wallets resolve it too
        return response
