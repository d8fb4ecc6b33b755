"""Federation API of the CPF feed (``/api/federation/cpf/``): batches, their XML, the CDC's returns.

GET  /api/federation/cpf/batches/                      batches with their records (readers)
POST /api/federation/cpf/batches/                      {period_start, period_end} or {resend: true} (admin)
GET  /api/federation/cpf/batches/<id>/xml/             the flux as sent (readers)
POST /api/federation/cpf/batches/<id>/acknowledgement/ the acknowledgement of receipt, multipart ``file``
POST /api/federation/cpf/batches/<id>/report/          the processing report, multipart ``file``
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.certification.access import PLANNERS, READERS, role_of
from clea.ecosystem import cpf, parchment
from clea.ecosystem.models import CpfBatch
from clea.kernel.errors import DomainError

MAX_UPLOAD = 5 * 1024 * 1024


class FederationRoles(BasePermission):
    message = "Votre rôle ne permet pas cette action. / Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        allowed = READERS if request.method in ("GET", "HEAD", "OPTIONS") else PLANNERS
        return role_of(request.user) in allowed


class RecordOutput(serializers.Serializer[Any]):
    certificate = serializers.CharField(source="certificate.number")
    id_technique = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()


class BatchOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    id_flux = serializers.UUIDField()
    filename = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    resend = serializers.BooleanField()
    status = serializers.CharField()
    schema_version = serializers.CharField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    processed_at = serializers.DateTimeField(allow_null=True)
    records = RecordOutput(many=True)


class BatchInput(serializers.Serializer[Any]):
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    resend = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["resend"] and not (attrs.get("period_start") and attrs.get("period_end")):
            raise ValidationError(
                {"period_start": ["Indiquez la période (début et fin), ou resend=true."]}, code="one_of"
            )
        return attrs


class PreparedOutput(serializers.Serializer[Any]):
    batch = BatchOutput(allow_null=True)
    skipped = serializers.ListField(child=serializers.DictField())


class UploadInput(serializers.Serializer[Any]):
    file = serializers.FileField()


def _batches() -> Any:
    return CpfBatch.objects.prefetch_related("records__certificate")


def _domain(exc: DomainError) -> NoReturn:
    """A refusal in the API's error format (the exception handler answers it, with ``fields``)."""
    raise exc


class BatchListView(APIView):
    permission_classes = (FederationRoles,)

    @extend_schema(responses=BatchOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(BatchOutput(_batches(), many=True).data)

    @extend_schema(request=BatchInput, responses={201: PreparedOutput, 200: PreparedOutput})
    def post(self, request: Request) -> Response:
        given = BatchInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            prepared = (
                cpf.prepare_resend() if data["resend"] else cpf.prepare_batch(data["period_start"], data["period_end"])
            )
        except DomainError as exc:
            return _domain(exc)
        body = {
            "batch": BatchOutput(_batches().get(pk=prepared.batch.pk)).data if prepared.batch else None,
            "skipped": [{"number": s.number, "reason": s.reason} for s in prepared.skipped],
        }
        return Response(body, status=status.HTTP_201_CREATED if prepared.batch else status.HTTP_200_OK)


class BatchXmlView(APIView):
    permission_classes = (FederationRoles,)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    def get(self, request: Request, batch_id: int) -> HttpResponse:
        batch = get_object_or_404(CpfBatch, pk=batch_id)
        response = HttpResponse(batch.xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
        return response


class _Upload(APIView):
    permission_classes = (FederationRoles,)
    parser_classes = (MultiPartParser,)

    def _content(self, request: Request) -> bytes:
        given = UploadInput(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError({"file": ["Fichier trop volumineux (5 Mo au plus)."]})
        content: bytes = upload.read()
        return content


class AcknowledgementView(_Upload):
    @extend_schema(request={"multipart/form-data": UploadInput}, responses=BatchOutput)
    def post(self, request: Request, batch_id: int) -> Response:
        get_object_or_404(CpfBatch, pk=batch_id)
        try:
            cpf.import_acknowledgement(batch_id, self._content(request))
        except DomainError as exc:
            return _domain(exc)
        return Response(BatchOutput(_batches().get(pk=batch_id)).data)


class ReportOutput(serializers.Serializer[Any]):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    batch = BatchOutput()


class ReportView(_Upload):
    @extend_schema(request={"multipart/form-data": UploadInput}, responses=ReportOutput)
    def post(self, request: Request, batch_id: int) -> Response:
        get_object_or_404(CpfBatch, pk=batch_id)
        try:
            outcome = cpf.import_report(batch_id, self._content(request))
        except DomainError as exc:
            return _domain(exc)
        batch = BatchOutput(_batches().get(pk=batch_id)).data
        return Response({"accepted": outcome.accepted, "rejected": outcome.rejected, "batch": batch})


class ParchmentView(APIView):
    """``GET /api/federation/parchments/?session=<id>`` or ``?from=YYYY-MM-DD&to=YYYY-MM-DD``, ``&output=csv|xlsx``:
    the certified candidates to print (readers)."""

    permission_classes = (FederationRoles,)

    @extend_schema(
        parameters=[
            OpenApiParameter("session", int, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("from", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("to", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("output", str, OpenApiParameter.QUERY, enum=["csv", "xlsx"], required=False),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, parchment.FORMATS["xlsx"]): OpenApiTypes.BINARY},
    )
    def get(self, request: Request) -> HttpResponse | Response:
        params = request.query_params
        output = str(params.get("output", "csv"))
        errors: dict[str, list[str]] = {}
        if output not in parchment.FORMATS:
            errors["output"] = ["csv ou xlsx."]
        session = str(params.get("session", ""))
        if session and not session.isdigit():
            errors["session"] = ["Identifiant de session attendu."]
        try:
            start = date.fromisoformat(str(params["from"])) if params.get("from") else None
            end = date.fromisoformat(str(params["to"])) if params.get("to") else None
        except ValueError:
            errors["from"] = ["Dates attendues au format AAAA-MM-JJ."]
            start = end = None
        if errors:
            raise ValidationError(errors)
        try:
            found = parchment.certificates_for(session_id=int(session) if session else None, start=start, end=end)
        except DomainError as exc:
            return _domain(exc)
        response = HttpResponse(parchment.export(found, output), content_type=parchment.FORMATS[output])
        response["Content-Disposition"] = f'attachment; filename="parchemins-clea.{output}"'
        return response
