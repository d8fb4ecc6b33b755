"""Sittings API (R3): one sitting per request, saved at once; any staff member resumes; explicit close."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF
from clea.api.versioning import expected_version
from clea.audit.access import record_file_access
from clea.journey import accommodations, planning, saved_plans, services, sittings
from clea.journey.api import serializers as s
from clea.journey.api.views import _local_user
from clea.journey.models import AccommodationRecord, SavedPlanRecord
from clea.journey.presenters import present_file
from clea.journey.visibility import visible_files
from clea.kernel.accommodations import AccommodationKind

ERRORS = {400: s.ErrorOutput, 403: s.ErrorOutput, 404: s.ErrorOutput, 409: s.ErrorOutput}


class EntrySerializer(serializers.Serializer[Any]):
    criterion = serializers.CharField(max_length=20)
    acquired = serializers.BooleanField()
    comment = serializers.CharField(max_length=s.MAX_TEXT, required=False, allow_blank=True, default="")
    evidence = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=20)


class SittingInput(s.VersionedInput):
    day = serializers.DateField(help_text="Journée de la séance : entre le consentement et aujourd'hui (R8).")
    evaluator_id = serializers.IntegerField(required=False, help_text="Par défaut : l'utilisateur connecté")
    modality = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    results = serializers.ListField(child=EntrySerializer(), allow_empty=False, max_length=500)


class OpenEvaluationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    modality = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    days = serializers.ListField(child=serializers.DateField())
    sittings = serializers.ListField(child=serializers.DictField())
    results = serializers.DictField(child=serializers.DictField())
    corrections = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
    entered = serializers.IntegerField()
    total = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    can_close = serializers.BooleanField()


class _FileScoped(APIView):
    permission_classes = [HasRole(*STAFF)]

    def _file_id(self, request: Request, pk: str) -> int:
        user: User = request.user  # type: ignore[assignment]
        if not pk.isdigit() or not visible_files(user).filter(pk=pk).exists():
            raise Http404
        return int(pk)

    def _version(self, request: Request, data: dict[str, Any]) -> int | None:
        return expected_version(request, data)


class OpenEvaluationView(_FileScoped):
    """The évaluation being entered on this file (``id`` null when none is open)."""

    @extend_schema(responses={200: OpenEvaluationOutput, **ERRORS})
    def get(self, request: Request, pk: str) -> Response:
        file_id = self._file_id(request, pk)
        loaded = services.load(file_id)
        record_file_access(request.user, file_id, loaded.record.counsellor_id, "api.open_evaluation")
        body = sittings.present_open(sittings.current_open(file_id), sittings.scope_for(loaded))
        response = Response(body)
        response["ETag"] = loaded.record.etag
        return response


class SittingsView(_FileScoped):
    """R3: save one sitting (day, evaluator, criteria) of the évaluation the file awaits; R7, R8 checked."""

    @extend_schema(request=SittingInput, responses={201: OpenEvaluationOutput, **ERRORS})
    def post(self, request: Request, pk: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        file_id = self._file_id(request, pk)
        serializer = SittingInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        evaluator = _local_user(data["evaluator_id"], "evaluator_id", STAFF) if "evaluator_id" in data else user
        entries = [
            sittings.EntryInput(r["criterion"], r["acquired"], r["comment"], tuple(str(e) for e in r["evidence"]))
            for r in data["results"]
        ]
        loaded, record = sittings.do_record_sitting(
            file_id, self._version(request, data), data["day"], evaluator, entries, user, data["modality"]
        )
        response = Response(sittings.present_open(record, sittings.scope_for(loaded)), status=status.HTTP_201_CREATED)
        response["ETag"] = loaded.record.etag
        return response


class CloseEvaluationView(_FileScoped):
    """R3/R9: close the open évaluation once every criterion has a result; mastery then moves the file on."""

    @extend_schema(request=s.VersionedInput, responses={200: s.FileDetailOutput, **ERRORS})
    def post(self, request: Request, pk: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        file_id = self._file_id(request, pk)
        serializer = s.VersionedInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        loaded = sittings.do_close_evaluation(file_id, self._version(request, dict(serializer.validated_data)), user)
        response = Response(present_file(loaded))
        response["ETag"] = loaded.record.etag
        return response


# --- the evaluation plan kept on the file (R3) ----------------------------------------------------------


class PlanInput(serializers.Serializer[Any]):
    branch = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False)
    max_minutes_per_day = serializers.IntegerField(
        required=False, min_value=planning.MIN_MINUTES_PER_DAY, max_value=planning.MAX_MINUTES_PER_DAY
    )
    on_site_possible = serializers.BooleanField(required=False, default=True)
    adjustments = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate_start(self, value: date) -> date:
        problem = planning.start_error(value, timezone.localdate())
        if problem:
            raise serializers.ValidationError(problem)
        return value


class SavedPlanOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    branch = serializers.CharField()
    saved_at = serializers.DateTimeField(allow_null=True)
    plan = serializers.DictField(allow_null=True)


def _plan_body(record: SavedPlanRecord | None) -> dict[str, Any]:
    if record is None:
        return {"id": None, "branch": "", "saved_at": None, "plan": None}
    return {"id": record.pk, "branch": record.branch, "saved_at": record.saved_at.isoformat(), "plan": record.plan}


class SavedPlanView(_FileScoped):
    """R3: the evaluation plan kept on the file (GET), or computed by the branch and saved (POST)."""

    @extend_schema(responses={200: SavedPlanOutput, **ERRORS})
    def get(self, request: Request, pk: str) -> Response:
        return Response(_plan_body(saved_plans.current_plan(self._file_id(request, pk))))

    @extend_schema(request=PlanInput, responses={201: SavedPlanOutput, **ERRORS})
    def post(self, request: Request, pk: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        file_id = self._file_id(request, pk)
        serializer = PlanInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan_request = planning.PlanRequest(
            branch=data["branch"],
            start=data.get("start") or timezone.localdate(),
            max_minutes_per_day=data.get("max_minutes_per_day") or planning.DEFAULT_MINUTES_PER_DAY,
            on_site_possible=data["on_site_possible"],
            adjustments=planning.split_adjustments(data["adjustments"]),
        )
        saved = saved_plans.do_save_plan(file_id, plan_request, user)
        return Response(_plan_body(saved), status=status.HTTP_201_CREATED)


class SavedPlanPdfView(_FileScoped):
    """The saved plan as a French PDF (404 when none is saved)."""

    @extend_schema(responses={(200, "application/pdf"): bytes, 404: s.ErrorOutput})
    def get(self, request: Request, pk: str) -> HttpResponse:
        file_id = self._file_id(request, pk)
        saved = saved_plans.current_plan(file_id)
        if saved is None:
            raise Http404
        loaded = services.load(file_id)
        tenant = getattr(request, "tenant", None)
        body = saved_plans.plan_pdf(saved, loaded.record.candidate.full_name, str(getattr(tenant, "name", "")))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="plan-evaluation-{file_id}.pdf"'
        return response


# --- accommodations (R3) --------------------------------------------------------------------------------


class AccommodationInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[k.value for k in AccommodationKind])
    detail = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    justification_seen = serializers.BooleanField(required=False, default=False)


class AccommodationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the metaclass pops declared fields
    detail = serializers.CharField()
    justification_seen = serializers.BooleanField()
    recorded_by_id = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()


class AccommodationsView(_FileScoped):
    """R3: the candidate's accommodations (staff only), seen on the grid and the session sheet, sent to the jury."""

    @extend_schema(responses={200: AccommodationOutput(many=True), **ERRORS})
    def get(self, request: Request, pk: str) -> Response:
        file_id = self._file_id(request, pk)
        return Response([accommodations.present(r) for r in AccommodationRecord.objects.filter(file_id=file_id)])

    @extend_schema(request=AccommodationInput, responses={201: AccommodationOutput, **ERRORS})
    def post(self, request: Request, pk: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        file_id = self._file_id(request, pk)
        serializer = AccommodationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = accommodations.do_record_accommodation(
            file_id, data["kind"], data["detail"], data["justification_seen"], user
        )
        return Response(accommodations.present(record), status=status.HTTP_201_CREATED)
