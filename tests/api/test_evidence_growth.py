"""The evidence file grows along the path (R6): never before consent (R2), and the trainer adds to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to
from tests.fixtures.tenants import token_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_no_evidence_before_consent(counsellor: Any, table_counts: Any) -> None:
    body = walk_to(counsellor, "referred")
    before = table_counts()
    response = counsellor.post(
        f"/api/files/{body['id']}/evidence/", {"content": SimpleUploadedFile("a.pdf", PDF), "title": "Attestation"}
    )
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["rule"]) == ("consent_required", "R2")
    assert "consentement" in response.json()["detail"]
    assert table_counts() == before


def test_the_trainer_adds_evidence_for_their_trainee_only(
    counsellor: Any, org_a: Any, trainer_a: Any, api_client_for: Any
) -> None:
    mine = walk_to(counsellor, "training", trainer_id=trainer_a.pk)
    other = walk_to(counsellor, "file_opened")
    trainer = api_client_for(org_a, "admin")
    trainer.credentials(HTTP_AUTHORIZATION=f"Token {token_for(org_a.schema_name, trainer_a)}")
    added = trainer.post(
        f"/api/files/{mine['id']}/evidence/", {"content": SimpleUploadedFile("fiche.pdf", PDF), "title": "Fiche"}
    )
    assert added.status_code == 201, added.json()
    from clea.journey.models import Evidence

    with schema_context(org_a.schema_name):
        assert Evidence.objects.get(uid=added.json()["uid"]).uploaded_by_id == trainer_a.pk  # who, and when
    refused = trainer.post(
        f"/api/files/{other['id']}/evidence/", {"content": SimpleUploadedFile("x.pdf", PDF), "title": "X"}
    )
    assert refused.status_code == 404  # not their trainee: the file is not even visible
