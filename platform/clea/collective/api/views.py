"""Collective sessions API: schedule, enrol (convocation e-mailed), attendance; staff of the organisation only."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF
from clea.api.versioning import IF_MATCH, VersionInput, expected_version
from clea.collective import convocation, services
from clea.collective.models import CollectiveSession, Enrolment
from clea.journey.api.serializers import ErrorOutput
from clea.kernel.collective import Attendance

ERRORS = {400: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput}


class SessionInput(serializers.Serializer[Any]):
    on = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=50)
    modality = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evaluator_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=10)
    contact = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    what_to_bring = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EnrolInput(serializers.Serializer[Any]):
    file_id = serializers.IntegerField()


class AttendanceInput(VersionInput):
    file_id = serializers.IntegerField()
    attendance = serializers.ChoiceField(choices=[a.value for a in Attendance if a is not Attendance.PENDING])


class SessionOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    on = serializers.DateField()
    starts_at = serializers.CharField()
    ends_at = serializers.CharField()
    place = serializers.CharField()
    video_link = serializers.CharField()
    capacity = serializers.IntegerField()
    modality = serializers.CharField()
    contact = serializers.CharField()
    what_to_bring = serializers.CharField()
    evaluator_ids = serializers.ListField(child=serializers.IntegerField())
    enrolments = serializers.ListField(child=serializers.DictField())


def _session(session_id: str) -> CollectiveSession:
    session = CollectiveSession.objects.filter(pk=session_id).first() if session_id.isdigit() else None
    if session is None:
        raise Http404
    return session


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SessionsView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(responses={200: SessionOutput(many=True)})
    def get(self, request: Request) -> Response:
        sessions = CollectiveSession.objects.order_by("-on", "-starts_at")[:200]
        return Response([services.present_session(s) for s in sessions])

    @extend_schema(request=SessionInput, responses={201: SessionOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        data = _valid(SessionInput, request)
        evaluators = tuple(data.pop("evaluator_ids"))
        session = services.do_schedule(services.SessionInput(**data, evaluator_ids=evaluators), user)
        return Response(services.present_session(session), status=status.HTTP_201_CREATED)


class SessionView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(responses={200: SessionOutput, **ERRORS})
    def get(self, request: Request, session_id: str) -> Response:
        return Response(services.present_session(_session(session_id)))


class EnrolView(APIView):
    """Convene a candidate: the convocation is e-mailed (Celery, through the outbox)."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(request=EnrolInput, responses={201: SessionOutput, **ERRORS})
    def post(self, request: Request, session_id: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        session = _session(session_id)
        data = _valid(EnrolInput, request)
        services.do_enrol(session.pk, data["file_id"], user)
        return Response(services.present_session(session), status=status.HTTP_201_CREATED)


class AttendanceView(APIView):
    """Present, absent or excused: an absence never records any criterion (R3)."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(request=AttendanceInput, responses={200: SessionOutput, **ERRORS}, parameters=[IF_MATCH])
    def post(self, request: Request, session_id: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        session = _session(session_id)
        data = _valid(AttendanceInput, request)
        enrolment = services.do_mark_attendance(
            session.pk,
            data["file_id"],
            Attendance(data["attendance"]),
            user,
            expected_version=expected_version(request, data),
        )
        body = services.present_session(session)
        body["offered"] = (
            [services.present_session(s)["id"] for s in services.other_sessions(enrolment)]
            if (enrolment.attendance != Attendance.PRESENT.value)
            else []
        )
        return Response(body)


class ConvocationPdfView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(responses={(200, "application/pdf"): bytes, 404: ErrorOutput})
    def get(self, request: Request, session_id: str, file_id: str) -> HttpResponse:
        session = _session(session_id)
        enrolment = Enrolment.objects.filter(session=session, file_id=int(file_id) if file_id.isdigit() else 0).first()
        if enrolment is None:
            raise Http404
        tenant = getattr(request, "tenant", None)
        body = convocation.convocation_pdf(enrolment, str(getattr(tenant, "name", "")))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="convocation-{enrolment.pk}.pdf"'
        return response
