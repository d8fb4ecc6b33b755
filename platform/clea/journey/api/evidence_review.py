"""API for the review of a candidate's uploaded evidence (issue 13 §4): accept, or reject with a reason."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF
from clea.audit.access import record_file_access
from clea.journey import evidence_review
from clea.journey.api import serializers as s
from clea.journey.models import CandidateFileRecord, Evidence
from clea.journey.presenters import present_evidence
from clea.journey.visibility import visible_files

ERRORS = {400: s.ErrorOutput, 403: s.ErrorOutput, 404: s.ErrorOutput}


class EvidenceReviewView(APIView):
    """``POST /api/files/{id}/evidence/{uid}/review/``: ``{decision: accept|reject, reason}`` (staff only)."""

    permission_classes = [HasRole(*STAFF)]

    @extend_schema(request=s.EvidenceReviewInput, responses={200: s.EvidenceOutput, **ERRORS})
    def post(self, request: Request, pk: str, uid: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        record = visible_files(user).filter(pk=pk).first() if pk.isdigit() else None
        if record is None or not isinstance(record, CandidateFileRecord):
            raise Http404
        serializer = s.EvidenceReviewInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            evidence = evidence_review.review(record, uid, data["decision"], data["reason"], user)
        except (Evidence.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        record_file_access(user, record.pk, record.counsellor_id, "api.evidence_review", object_ref=f"evidence:{uid}")
        return Response(present_evidence(evidence), status=status.HTTP_200_OK)
