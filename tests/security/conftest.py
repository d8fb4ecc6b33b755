"""Fixtures of the security suite: a realistic file in organisation A, and snapshots proving nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to
from tests.fixtures.tenants import make_user, token_for
from tests.web.conftest import web_client_for  # noqa: F401  (a fixture: the web pages' client)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world_a(org_a: Any, api_client_for: Callable[..., Any]) -> dict[str, Any]:
    """In org A: a counsellor's file in training (with a trainer), a piece of evidence, a candidate account."""
    counsellor = api_client_for(org_a, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    candidate_user = make_user(org_a.schema_name, "candidate")
    body = walk_to(counsellor, "training", trainer_id=trainer.pk)
    upload = SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")
    evidence = counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload, "title": "Attestation"})
    assert evidence.status_code == 201, evidence.json()
    from clea.journey.models import Candidate

    with schema_context(org_a.schema_name):
        Candidate.objects.filter(pk=body["candidate"]["id"]).update(user=candidate_user)
        session, enrolment = _collective_session(counsellor.user, body["id"])  # issue 13: the file is convened
    return {
        "session": session,
        "enrolment": enrolment,
        "file": body["id"],
        "candidate": body["candidate"]["id"],
        "evidence": evidence.json()["uid"],
        "counsellor": counsellor,
        "counsellor_user": counsellor.user,
        "trainer_user": trainer,
        "candidate_user": candidate_user,
    }


def _collective_session(evaluator: Any, file_id: int) -> tuple[int, int]:
    from datetime import time

    from django.db import transaction
    from django.utils import timezone

    from clea.collective import services

    with transaction.atomic():
        session = services.do_schedule(
            services.SessionInput(timezone.localdate(), time(9), time(12), "Salle 1", "", 5, "", (evaluator.pk,)),
            evaluator,
        )
        enrolment = services.do_enrol(session.pk, file_id, evaluator)
    return int(session.pk), int(enrolment.pk)


def rows_of(schema_name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the organisation's own tables (journey, privacy, audit, users, tokens), to compare."""
    from django.apps import apps

    labels = ("journey", "privacy", "audit", "accounts", "authtoken", "axes", "collective")
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with schema_context(schema_name):
        for model in apps.get_models():
            if model._meta.app_label in labels:
                snapshot[model._meta.label] = sorted(
                    tuple(str(v) for v in row) for row in model._default_manager.values_list()
                )
    return snapshot


@pytest.fixture
def token_client(api_client_for: Callable[..., Any]) -> Callable[..., Any]:
    """``token_client(org, role)``: like ``api_client_for`` (kept for readability)."""
    return api_client_for


__all__ = ["PDF", "rows_of", "token_for"]
