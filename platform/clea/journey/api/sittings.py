"""Sittings API (R3): one sitting per request, saved at once; any staff member resumes; explicit close."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF
from clea.audit.access import record_file_access
from clea.journey import services, sittings
from clea.journey.api import serializers as s
from clea.journey.api.views import _local_user, expected_version
from clea.journey.presenters import present_file
from clea.journey.visibility import visible_files

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
