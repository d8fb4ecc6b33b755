"""The federation's jury and certificate API (public schema; ``/api/federation/…``).

Roles: see :mod:`clea.certification.access`. Refusals of R11/R12 come back as 400 with ``rule`` set
(conflicts of interest also name ``member`` and ``organisation``); a session a jury member is not convened
to is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from clea.accounts.roles import Role
from clea.certification import pdf, sessions
from clea.certification.access import PLANNERS, READERS, SESSION_READERS, member_of, role_of, visible_sessions
from clea.certification.api import serializers as s
from clea.certification.certificates import revoke
from clea.certification.downloads import certificate_pdf_response
from clea.certification.models import Certificate, Jury, JuryMember, JurySession, JurySubmission


class ByAction(BasePermission):
    """Roles allowed per action: ``view.roles_by_action[action]`` (reads default to ``view.read_roles``)."""

    message = "Votre rôle ne permet pas cette action. / Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        role = role_of(request.user)
        if not role:
            return False
        action_name = getattr(view, "action", None) or (request.method or "").lower()
        allowed = view.roles_by_action.get(action_name)
        if allowed is None:
            allowed = view.read_roles if request.method in ("GET", "HEAD", "OPTIONS") else PLANNERS
        return role in allowed


class JuryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Jury],
):
    """Paritaire juries (a region and/or a branch) and their pool of members. Planning: federation admins."""

    permission_classes = (ByAction,)
    read_roles = READERS
    roles_by_action: dict[str, frozenset[str]] = {}
    serializer_class = s.JurySerializer
    queryset = Jury.objects.select_related("branch").prefetch_related("members").order_by("name", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]


class JuryMemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[JuryMember],
):
    """People who sit on juries: a federation user (role ``jury_member``) or an external person, with their
    college and the organisations they are linked to (R11 independence)."""

    permission_classes = (ByAction,)
    read_roles = READERS
    roles_by_action: dict[str, frozenset[str]] = {}
    serializer_class = s.JuryMemberSerializer
    queryset = JuryMember.objects.prefetch_related("organisations").order_by("last_name", "first_name", "id")
    filterset_fields = ("college", "active")
    http_method_names = ["get", "post", "patch", "head", "options"]


class JurySessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[JurySession],
):
    """Jury sessions: planned and convened by federation admins, deliberated by the members convened."""

    permission_classes = (ByAction,)
    read_roles = SESSION_READERS
    roles_by_action: dict[str, frozenset[str]] = {
        "deliberate": frozenset({Role.JURY_MEMBER}),
        "approve": frozenset({Role.JURY_MEMBER}),
        "convene": PLANNERS,
        "assign": PLANNERS,
        "unassign": PLANNERS,
    }
    serializer_class = s.JurySessionSerializer
    filterset_fields = ("status", "jury")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[JurySession]:
        return visible_sessions(self.request.user).order_by("-starts_at", "-id")

    def _member(self) -> JuryMember:
        member = member_of(self.request.user)
        if member is None:
            raise PermissionDenied("Aucun membre de jury n'est associé à ce compte.")
        return member

    def _session_response(self, session: JurySession) -> Response:
        return Response(s.JurySessionSerializer(visible_sessions(self.request.user).get(pk=session.pk)).data)

    @extend_schema(request=s.MemberIdsSerializer, responses=s.JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def convene(self, request: Request, pk: str) -> Response:
        """Convene exactly these members (R11: paritaire, ≥ 1 per college, independent of the files on it)."""
        body = s.MemberIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._session_response(sessions.convene(self.get_object(), body.validated_data["members"]))

    @extend_schema(request=s.SubmissionIdsSerializer, responses=s.JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Put submitted files on the session; 400 (R11) naming the member and organisation in conflict."""
        body = s.SubmissionIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = self.get_object()
        try:
            sessions.assign(session, body.validated_data["submissions"])
        except JurySubmission.DoesNotExist as exc:
            raise NotFound("Dossier inconnu. / Unknown file.") from exc
        return self._session_response(session)

    @extend_schema(request=s.SubmissionIdsSerializer, responses=s.JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def unassign(self, request: Request, pk: str) -> Response:
        body = s.SubmissionIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = self.get_object()
        sessions.unassign(session, body.validated_data["submissions"])
        return self._session_response(session)

    @extend_schema(responses=s.SessionFileSerializer(many=True))
    @action(detail=True, methods=["get"])
    def files(self, request: Request, pk: str) -> Response:
        """The files on the session, as their snapshots: name, mastery per domain, organisations."""
        session = self.get_object()
        files = session.submissions.select_related("organisation").order_by("submitted_at", "id")
        return Response(s.SessionFileSerializer(files, many=True).data)

    @extend_schema(request=s.DeliberationSerializer, responses=s.SessionDecisionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def deliberate(self, request: Request, pk: str) -> Response:
        """R11 quorum of the members present, then R12 per file: certify (R10), refuse with reasons, adjourn."""
        member = self._member()
        session = self.get_object()
        body = s.DeliberationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decisions = [
            sessions.DecisionInput(d["submission"], d["outcome"], d.get("reasons", ""))
            for d in body.validated_data["decisions"]
        ]
        try:
            stored = sessions.deliberate(session, body.validated_data["present"], decisions, recorded_by=member)
        except JurySubmission.DoesNotExist as exc:
            raise NotFound("Ce dossier n'est pas inscrit à cette session. / This file is not on this session.") from exc
        return Response(s.SessionDecisionSerializer(stored, many=True).data)

    @extend_schema(responses=s.MinutesSerializer)
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str) -> Response:
        """The minutes (procès-verbal): present by college, decisions, approvals; ``final`` once all approved."""
        return Response(s.MinutesSerializer(sessions.minutes(self.get_object())).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="minutes/pdf")
    def minutes_pdf(self, request: Request, pk: str) -> HttpResponse:
        session = self.get_object()
        response = HttpResponse(pdf.minutes_pdf(sessions.minutes(session)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="proces-verbal-session-{session.pk}.pdf"'
        return response

    @extend_schema(request=None, responses=s.MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/approve")
    def approve(self, request: Request, pk: str) -> Response:
        """The signed-in member (present at the session) approves the minutes."""
        member = self._member()
        session = sessions.approve_minutes(self.get_object(), member)
        return Response(s.MinutesSerializer(sessions.minutes(session)).data)


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[JurySubmission]):
    """Files submitted by organisations, followed by the federation (status, session, decision)."""

    permission_classes = (ByAction,)
    read_roles = READERS
    roles_by_action: dict[str, frozenset[str]] = {}
    serializer_class = s.SubmissionSerializer
    queryset = JurySubmission.objects.select_related("organisation").order_by("submitted_at", "id")
    filterset_fields = ("status", "session")


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Certificate]):
    """Certificates issued by the federation; revocation (with a reason) by federation admins."""

    permission_classes = (ByAction,)
    read_roles = READERS
    roles_by_action: dict[str, frozenset[str]] = {"revoke": PLANNERS}
    serializer_class = s.CertificateSerializer
    queryset = Certificate.objects.select_related("organisation").order_by("-issued_at", "-id")
    lookup_field = "number"
    lookup_value_regex = "[A-Za-z0-9-]+"

    @extend_schema(request=s.RevocationSerializer, responses=s.CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, number: str) -> Response:
        """R12: revoke (e.g. fraud) with a reason; the certificate's bit in the status list flips to 1."""
        certificate = self.get_object()
        body = s.RevocationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(s.CertificateSerializer(revoke(certificate.number, body.validated_data["reason"])).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, number: str) -> HttpResponse:
        return certificate_pdf_response(self.get_object())
