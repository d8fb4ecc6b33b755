"""Public endpoints (no login) on the federation's host: verification, credentials, status list, JWKS."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.certification import certificates, disclosure, signing
from clea.certification.api.serializers import VerificationSerializer
from clea.certification.downloads import certificate_pdf_response, get_certificate

VC_JWT = "application/vc+jwt"


class PublicView(APIView):
    authentication_classes: list[type] = []
    permission_classes = (AllowAny,)


class AnyAccept(BaseContentNegotiation):
    """Serve the token whatever the client accepts (a verifier asks for ``application/vc+jwt``, which DRF's
    JSON renderers would refuse with 406)."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


class TokenView(PublicView):
    content_negotiation_class = AnyAccept


def count_lookup(request: Request) -> None:
    """Per-client budget of public look-ups by number (:mod:`clea.certification.disclosure`): 429 beyond it."""
    allowed, retry_after = disclosure.allow_lookup(request._request)
    if not allowed:
        raise Throttled(
            wait=retry_after,
            detail="Trop de vérifications depuis votre adresse : réessayez plus tard. / Too many look-ups.",
        )


def require_code(request: Request, certificate: Any) -> None:
    if not disclosure.code_matches(certificate.number, str(request.query_params.get("code", ""))):
        raise PermissionDenied(
            "Le code de vérification imprimé sur le certificat est requis (?code=). / The printed code is required."
        )


CODE = OpenApiParameter("code", str, OpenApiParameter.QUERY, required=False, description="code imprimé XXXX-XXXX")
BIRTH_DATE = OpenApiParameter("birth_date", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False)


class CertificateVerificationView(PublicView):
    """Is this certificate authentic? Checks the number's check digits, the stored credential's signature
    (server-side, with the federation's published key) and its revocation. 404 for an unknown number.
    The holder's full name only with ``birth_date`` or the printed ``code``; else initials. Rate-limited."""

    @extend_schema(parameters=[CODE, BIRTH_DATE], responses=VerificationSerializer)
    def get(self, request: Request, number: str) -> Response:
        count_lookup(request)
        result = certificates.verify(number)
        if not result.found or result.certificate is None:
            raise NotFound("Aucun certificat CléA ne porte ce numéro. / No CléA certificate has this number.")
        disclose = disclosure.may_disclose(
            result.certificate,
            code=str(request.query_params.get("code", "")),
            birth_date=str(request.query_params.get("birth_date", "")),
        )
        return Response(VerificationSerializer(result.as_dict(disclose=disclose)).data)


class CertificateCredentialView(TokenView):
    """The signed Open Badges 3.0 credential (VC-JOSE compact JWS, ``application/vc+jwt``); it names the holder,
    so the printed ``code`` is required (the holder's share link carries it). Rate-limited."""

    @extend_schema(parameters=[CODE], responses={(200, VC_JWT): OpenApiTypes.STR})
    def get(self, request: Request, number: str) -> HttpResponse:
        count_lookup(request)
        certificate = get_certificate(number.strip().upper())
        require_code(request, certificate)
        response = HttpResponse(certificate.credential_jwt, content_type=VC_JWT)
        response["Content-Disposition"] = f'inline; filename="certificat-{certificate.number}.jwt"'
        return response


class CertificatePdfView(PublicView):
    """The printable certificate (PDF, with the QR code of its verification page); printed ``code`` required."""

    @extend_schema(parameters=[CODE], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, number: str) -> HttpResponse:
        count_lookup(request)
        certificate = get_certificate(number.strip().upper())
        require_code(request, certificate)
        return certificate_pdf_response(certificate)


class StatusListView(TokenView):
    """The revocation status list (Bitstring Status List credential, signed, ``application/vc+jwt``)."""

    @extend_schema(responses={(200, VC_JWT): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(certificates.signed_status_list(), content_type=VC_JWT)
        response["Cache-Control"] = "public, max-age=300"
        return response


class JWKSView(PublicView):
    """The federation's public signing keys (active and retired): verify any credential it issued."""

    @extend_schema(responses=inline_serializer("JWKS", {"keys": serializers.ListField(child=serializers.DictField())}))
    def get(self, request: Request) -> JsonResponse:
        signing.active_key()  # a fresh installation publishes its key before it signs anything
        response = JsonResponse(signing.jwks())
        response["Cache-Control"] = "public, max-age=3600"
        return response
