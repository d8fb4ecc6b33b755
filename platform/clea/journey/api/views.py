"""The journey API. Views translate HTTP to one service call; the kernel decides, services store."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF, TRAINERS, Role
from clea.api.versioning import IF_MATCH, expected_version, with_etag
from clea.audit.access import record_file_access
from clea.journey import evidence_review, notes, planning, services, transfer
from clea.journey.api import serializers as s
from clea.journey.api.branches import EVALUATION_PLAN_PARAMETERS, EvaluationPlanOutput, plan_request_from_query
from clea.journey.branches import pinned_branches
from clea.journey.candidates import update_candidate, welcome_new_candidate
from clea.journey.models import Candidate, CandidateFileRecord, Evidence, ProgressNote
from clea.journey.presenters import present_evidence, present_file, present_mastery, present_summary
from clea.journey.visibility import visible_files
from clea.kernel.journey import Consent, PrescriberType, Referral, TrainingSession
from clea.kernel.mastery import EvaluationKind

ERRORS = {400: s.ErrorOutput, 404: s.ErrorOutput, 409: s.ErrorOutput}


def _local_user(user_id: int, field: str, roles: tuple[str, ...]) -> User:
    user = User.objects.filter(pk=user_id, is_active=True, role__in=roles).first()
    if user is None:
        raise ValidationError({field: ["Aucun utilisateur actif de cet organisme avec ce rôle."]})
    return user


def _sessions(items: list[dict[str, Any]]) -> tuple[TrainingSession, ...]:
    return tuple(
        TrainingSession(i["starts_on"], i["ends_on"], tuple(i["subdomains"]), i.get("label", "")) for i in items
    )


def _consent(data: dict[str, Any]) -> Consent | None:
    return Consent(data["consent_purpose"], date.today()) if data["consent"] else None


class CandidateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Candidate],
):
    """Candidates of this organisation (staff only)."""

    serializer_class = s.CandidateSerializer
    permission_classes = [HasRole(*STAFF)]
    queryset = Candidate.objects.all()
    filterset_fields = ["last_name", "email"]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        return with_etag(Response(self.get_serializer(candidate).data), candidate)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Only the fields sent are written; a stale ``If-Match`` (or body ``version``) gives 409."""
        candidate = self.get_object()
        partial = bool(kwargs.get("partial", False))
        serializer = self.get_serializer(candidate, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        sent = changes.pop("version", None)  # validated by the serializer (a positive integer)
        version = expected_version(request, {"version": sent} if sent is not None else {})
        updated = update_candidate(int(candidate.pk), changes, version)
        return with_etag(Response(self.get_serializer(updated).data), updated)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema(responses={200: s.FileDetailOutput, **ERRORS})
class FileViewSet(viewsets.GenericViewSet[CandidateFileRecord]):
    """Candidate files and every step of the journey."""

    permission_classes = [HasRole(*STAFF, Role.TRAINER, Role.CANDIDATE)]
    filterset_fields = {"state": ["exact", "in"], "counsellor": ["exact"], "deadline": ["lte", "gte"]}
    serializer_class = s.FileSummaryOutput

    def get_queryset(self) -> QuerySet[CandidateFileRecord]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user (drf-spectacular W001)
            return CandidateFileRecord.objects.none()
        user: User = self.request.user  # type: ignore[assignment]
        return visible_files(user).select_related("candidate").order_by("-updated_at", "-id")

    def _visible_pk(self) -> int:
        """The file id from the URL if this user may see it; 404 otherwise (never 403: nothing leaks)."""
        pk = str(self.kwargs["pk"])
        if not pk.isdigit() or not self.get_queryset().filter(pk=pk).exists():
            raise Http404
        return int(pk)

    def _loaded(self) -> services.Loaded:
        """The visible file, loaded; reading it is audited unless the caller is its counsellor (clea.audit)."""
        loaded = services.load(self._visible_pk())
        record_file_access(self.request.user, loaded.record.pk, loaded.record.counsellor_id, f"api.{self.action}")
        return loaded

    def _detail(self, loaded: services.Loaded, status_code: int = status.HTTP_200_OK) -> Response:
        response = Response(present_file(loaded), status=status_code)
        response["ETag"] = loaded.record.etag
        return response

    def _require_staff(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        if user.role not in STAFF:
            raise PermissionDenied("Réservé aux conseillers et administrateurs de l'organisme.")
        return user

    def _input(self, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        data["version"] = expected_version(self.request, data)
        return data

    @extend_schema(responses={200: s.FileSummaryOutput(many=True)})
    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = page if page is not None else list(queryset)
        data = [present_summary(r) for r in records]
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self._loaded())

    @extend_schema(request=s.ReferInput, responses={201: s.FileDetailOutput, **ERRORS})
    def create(self, request: Request) -> Response:
        """R1: welcome a person (new or known), with the prescriber's referral if any."""
        user = self._require_staff()
        data = self._input(s.ReferInput)
        candidate = None
        if "candidate_id" in data:
            candidate = Candidate.objects.filter(pk=data["candidate_id"]).first()
            if candidate is None:
                raise ValidationError({"candidate_id": ["Candidat inconnu dans cet organisme."]})
        referral_data = data.get("referral")
        referral = (
            Referral(
                PrescriberType(referral_data["prescriber_type"]),
                referral_data["prescriber_name"],
                referral_data["referred_on"],
            )
            if referral_data
            else None
        )
        if candidate is None:
            loaded = welcome_new_candidate(dict(data["candidate"]), user, referral)
        else:
            loaded = services.do_refer(candidate, user, referral)
        return self._detail(loaded, status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsentInput)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        """R2: open the file with the person's explicit consent."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.ConsentInput)
        return self._detail(services.do_open_file(file_id, data["version"], _consent(data), user))

    @extend_schema(request=s.EvaluationInput)
    @action(detail=True, methods=["post"])
    def evaluations(self, request: Request, pk: str) -> Response:
        """R3/R9: record an initial or final evaluation, every criterion in one request."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.EvaluationInput)
        evaluator = _local_user(data["evaluator_id"], "evaluator_id", STAFF) if "evaluator_id" in data else user
        results = [
            services.ResultInput(
                r["criterion"], r["acquired"], r["comment"], tuple(str(e) for e in r["evidence"]), r.get("evaluated_on")
            )
            for r in data["results"]
        ]
        loaded = services.do_record_evaluation(
            file_id,
            data["version"],
            EvaluationKind(data["kind"]),
            evaluator,
            data["days"],
            results,
            user,
            data["modality"],
        )
        return self._detail(loaded, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.MasteryOutput, 404: s.ErrorOutput})
    @action(detail=True, methods=["get"])
    def mastery(self, request: Request, pk: str) -> Response:
        """R4: mastery computed from every evaluation (never typed in)."""
        loaded = self._loaded()
        return Response(present_mastery(loaded.referential, services.mastery_of(loaded)))

    @extend_schema(methods=["POST"], request=s.TrainingPathInput)
    @extend_schema(methods=["PUT"], request=s.AdjustPathInput)
    @action(detail=True, methods=["post", "put"], url_path="training-path")
    def training_path(self, request: Request, pk: str) -> Response:
        """R6/R7/R8: propose the path (objectives = gaps) or adjust its trainer and calendar."""
        user = self._require_staff()
        file_id = self._visible_pk()
        if request.method == "PUT":
            data = self._input(s.AdjustPathInput)
            trainer = _local_user(data["trainer_id"], "trainer_id", TRAINERS)
            return self._detail(
                services.do_adjust_path(file_id, data["version"], trainer, _sessions(data["sessions"]), user)
            )
        data = self._input(s.TrainingPathInput)
        trainer = _local_user(data["trainer_id"], "trainer_id", TRAINERS)
        sessions = _sessions(data["sessions"]) if data.get("sessions") else None
        loaded = services.do_propose_path(
            file_id, data["version"], trainer, data["training_organisation"], sessions, user
        )
        return self._detail(loaded, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.SessionSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], url_path="training-path/suggestion")
    def training_path_suggestion(self, request: Request, pk: str) -> Response:
        """A first calendar built from the gaps, to adjust before proposing."""
        self._require_staff()
        loaded = self._loaded()
        sessions = services.suggested_sessions(loaded)
        return Response(s.SessionSerializer([vars(x) for x in sessions], many=True).data)

    @extend_schema(
        parameters=EVALUATION_PLAN_PARAMETERS, responses={200: EvaluationPlanOutput, 502: s.ErrorOutput, **ERRORS}
    )
    @action(detail=True, methods=["get"], url_path="evaluation-plan")
    def evaluation_plan(self, request: Request, pk: str) -> Response:
        """R3: the évaluation préalable planned by the chosen accredited branch over one or several days."""
        self._require_staff()
        loaded = self._loaded()
        with pinned_branches() as caller:
            plan_request = plan_request_from_query(request, caller)
            plan = planning.evaluation_plan(str(loaded.record.pk), loaded.referential, plan_request, caller)
            return Response(planning.present_plan(plan, loaded.referential, planning.branch_names(caller)))

    @extend_schema(request=s.VersionedInput)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """R10: send the file's snapshot to the federation's jury."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.VersionedInput)
        return self._detail(services.do_submit(file_id, data["version"], user))

    @extend_schema(request=s.WithdrawInput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """R2: the person leaves."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.WithdrawInput)
        return self._detail(
            services.do_withdraw(
                file_id,
                data["version"],
                data["reason"],
                user,
                detail=data["reason_detail"],
                confirmed_on=data["confirmed_on"],
            )
        )

    @extend_schema(request=s.TransferInput, responses={200: s.TransferOutput, **ERRORS})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """R2: close this copy and get the signed bundle to hand to the target organisation."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.TransferInput)
        target = data["target_organisation"]
        loaded, bundle = transfer.do_transfer_out(file_id, data["version"], target, _consent(data), user)
        return Response({"file": present_summary(loaded.record), "bundle": bundle})

    @extend_schema(request=s.ConsentInput)
    @action(detail=True, methods=["post"])
    def restart(self, request: Request, pk: str) -> Response:
        """R8/R2: after the 5-year window or a withdrawal, start again (fresh consent) from a new préalable."""
        user = self._require_staff()
        file_id = self._visible_pk()
        data = self._input(s.ConsentInput)
        return self._detail(services.do_restart(file_id, data["version"], _consent(data), user))

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.EvidenceInput},
        responses={201: s.EvidenceOutput, **ERRORS},
    )
    @extend_schema(methods=["GET"], responses={200: s.EvidenceOutput(many=True), 404: s.ErrorOutput})
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk: str) -> Response:
        """The dossier de preuves: list, or upload one piece (checked by content, 10 MB max)."""
        loaded = self._loaded()
        if request.method == "GET":
            return Response([present_evidence(e) for e in loaded.record.evidence.all()])
        user: User = request.user  # type: ignore[assignment]
        # issue 13 §4: the trainer adds evidence for their trainees; the candidate's own uploads wait for review
        if user.role not in (*STAFF, Role.TRAINER, Role.CANDIDATE):
            raise PermissionDenied("Réservé aux conseillers, administrateurs, formateurs et au candidat.")
        serializer = s.EvidenceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        criterion = serializer.validated_data["criterion"]
        if criterion and criterion not in loaded.referential.criterion_codes:
            raise ValidationError({"criterion": [f"Critère inconnu : {criterion}."]})
        evidence = evidence_review.upload(
            loaded.record, serializer.validated_data["content"], serializer.validated_data["title"], criterion, user
        )
        return Response(present_evidence(evidence), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["POST"], request=s.ProgressNoteSerializer, responses={201: s.ProgressNoteSerializer, **ERRORS}
    )
    @extend_schema(methods=["GET"], responses={200: s.ProgressNoteSerializer(many=True), 404: s.ErrorOutput})
    @action(detail=True, methods=["get", "post"])
    def notes(self, request: Request, pk: str) -> Response:
        """The trainer's progress notes on the current path."""
        loaded = self._loaded()
        if request.method == "GET":
            path = notes.current_path(loaded.record)
            listed = ProgressNote.objects.filter(path__file=loaded.record) if path else ProgressNote.objects.none()
            return Response(s.ProgressNoteSerializer(listed, many=True).data)
        user: User = self.request.user  # type: ignore[assignment]
        if user.role not in notes.NOTE_TAKERS:
            raise PermissionDenied("Réservé au formateur et aux conseillers de l'organisme.")
        serializer = s.ProgressNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note = notes.add_progress_note(loaded.record.pk, user, data["text"], data.get("subdomain", ""))
        return Response(s.ProgressNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class TransferImportView(APIView):
    """R2: take over a file transferred by another organisation, with the person's consent."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(request=s.ImportInput, responses={201: s.FileDetailOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = s.ImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: User = request.user  # type: ignore[assignment]
        loaded = transfer.do_import(data["bundle"], _consent(data), user)
        return Response(present_file(loaded), status=status.HTTP_201_CREATED)


class EvidenceDownloadView(APIView):
    """Serves one piece of evidence of this organisation to someone allowed to see its file."""

    permission_classes = [HasRole(*STAFF, Role.TRAINER, Role.CANDIDATE)]

    @extend_schema(
        parameters=[OpenApiParameter("uid", str, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): bytes, 404: s.ErrorOutput},
    )
    def get(self, request: Request, uid: str) -> FileResponse:
        user: User = request.user  # type: ignore[assignment]
        try:
            uuid.UUID(uid)
        except ValueError:
            raise Http404 from None
        evidence = get_object_or_404(Evidence.objects.select_related("file"), uid=uid, file__in=visible_files(user))
        record_file_access(
            user, evidence.file_id, evidence.file.counsellor_id, "api.evidence_download", object_ref=f"evidence:{uid}"
        )
        return FileResponse(evidence.content.open("rb"), content_type=evidence.content_type, filename=evidence.title)


class MyFileView(APIView):
    """The candidate's portal: their own files."""

    permission_classes = [HasRole(Role.CANDIDATE)]

    @extend_schema(responses={200: s.FileDetailOutput(many=True)})
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        rows = list(visible_files(user).values_list("pk", "counsellor_id"))
        for pk, counsellor_id in rows:
            record_file_access(user, pk, counsellor_id, "api.my_files")
        return Response([present_file(services.load(pk)) for pk, _ in rows])
