"""Personal data endpoints.

Organisation (tenant) API:
    GET  /api/candidates/<id>/export/[?output=pdf]   staff: everything held about the candidate
    POST /api/candidates/<id>/erase/                 organisation admin: erasure on request
    GET  /api/me/export/[?output=pdf]                the candidate: their own data
    GET|PUT /api/privacy/retention/                  retention periods (read: staff; change: admin)
Federation API:
    GET  /api/federation/processing-register/        the register of processing
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF, Role
from clea.api.versioning import IF_MATCH, expected_version, with_etag
from clea.audit.trail import append
from clea.journey.api.serializers import ErrorOutput
from clea.journey.models import Candidate
from clea.privacy.erasure import erase_candidate
from clea.privacy.export import candidate_export, export_pdf
from clea.privacy.models import RetentionPolicy
from clea.privacy.register import load_register
from clea.privacy.retention import update_policy

OUTPUT = OpenApiParameter(
    "output", str, OpenApiParameter.QUERY, enum=["json", "pdf"], required=False, description="json (défaut) ou pdf"
)
EXPORT_RESPONSES: dict[Any, Any] = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, "application/pdf"): OpenApiTypes.BINARY,
    400: ErrorOutput,
    404: ErrorOutput,
}


class OutputInput(serializers.Serializer[Any]):
    output = serializers.ChoiceField(choices=["json", "pdf"], required=False, default="json")


def _export_response(request: Request, candidate: Candidate, channel: str) -> HttpResponse | Response:
    query = OutputInput(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = candidate_export(candidate)
    output = query.validated_data["output"]
    append(
        "gdpr.export",
        actor=request.user,
        object_ref=f"candidate:{candidate.pk}",
        detail={"channel": channel, "output": output, "files": [f["id"] for f in data["files"]]},
    )
    if output == "pdf":
        response = HttpResponse(export_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="clea-donnees-{candidate.pk}.pdf"'
        return response
    return Response(data)


class CandidateExportView(APIView):
    """Everything the organisation holds about a candidate (GDPR access and portability): JSON or PDF."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(parameters=[OUTPUT], responses=EXPORT_RESPONSES)
    def get(self, request: Request, pk: int) -> HttpResponse | Response:
        candidate = Candidate.objects.filter(pk=pk).first()
        if candidate is None:
            raise Http404
        return _export_response(request, candidate, "api.candidate_export")


class MyExportView(APIView):
    """The signed-in candidate's own data (GDPR access and portability): JSON or PDF."""

    permission_classes = [HasRole(Role.CANDIDATE)]

    @extend_schema(parameters=[OUTPUT], responses=EXPORT_RESPONSES)
    def get(self, request: Request) -> HttpResponse | Response:
        candidate = Candidate.objects.filter(user_id=int(request.user.pk or 0)).first()
        if candidate is None:
            raise Http404
        return _export_response(request, candidate, "api.me_export")


class ErasureOutput(serializers.Serializer[Any]):
    candidate_id = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    reason = serializers.CharField()
    certified = serializers.BooleanField()
    kept = serializers.ListField(child=serializers.CharField())
    erased = serializers.DictField(child=serializers.IntegerField())
    note = serializers.CharField()


class CandidateErasureView(APIView):
    """Erase a candidate's personal data on their request (organisation administrators).

    After certification only what the certifier must keep stays (certificate number, name, date, decision);
    otherwise the person is pseudonymised. Active files must be withdrawn first (409 ``state_conflict``).
    """

    permission_classes = [HasRole(Role.ADMIN)]

    @extend_schema(request=None, responses={200: ErasureOutput, 404: ErrorOutput, 409: ErrorOutput})
    def post(self, request: Request, pk: int) -> Response:
        if not Candidate.objects.filter(pk=pk).exists():
            raise Http404
        report = erase_candidate(pk, actor=request.user, reason="request")
        return Response(report.as_dict(), status=status.HTTP_200_OK)


class RetentionPolicySerializer(serializers.ModelSerializer[RetentionPolicy]):
    class Meta:
        model = RetentionPolicy
        fields = [
            "closed_file_months",
            "evidence_months",
            "unopened_file_months",
            "login_log_months",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at", "version"]


class RetentionPolicyView(APIView):
    """The organisation's retention periods, applied every night by the purge task."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(responses={200: RetentionPolicySerializer})
    def get(self, request: Request) -> Response:
        policy = RetentionPolicy.current()
        return with_etag(Response(RetentionPolicySerializer(policy).data), policy)

    @extend_schema(
        request=RetentionPolicySerializer,
        responses={200: RetentionPolicySerializer, 400: ErrorOutput, 409: ErrorOutput},
        parameters=[IF_MATCH],
    )
    def put(self, request: Request) -> Response:
        if getattr(request.user, "role", None) != Role.ADMIN:
            raise PermissionDenied("Réservé aux administrateurs de l'organisme.")
        serializer = RetentionPolicySerializer(RetentionPolicy.current(), data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = update_policy(dict(serializer.validated_data), expected_version(request), request.user)
        return with_etag(Response(RetentionPolicySerializer(policy).data), policy)


class ProcessingRegisterView(APIView):
    """The federation's register of processing (GDPR art. 30), from ``clea/privacy/register.yaml``."""

    permission_classes = [HasRole(Role.FEDERATION_ADMIN, Role.ANALYST, Role.JURY_MEMBER)]

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Registre des traitements")})
    def get(self, request: Request) -> Response:
        return Response(load_register())
