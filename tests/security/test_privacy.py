"""GDPR: export (JSON and PDF), erasure (after certification: only what the certifier must keep),
retention and its daily purge, the register of processing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to

from clea.audit.models import AuditEntry
from clea.journey.models import Candidate, CandidateFileRecord, DecisionRecord, EvaluationRecord, Evidence

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_staff_export_holds_everything_about_the_candidate(world_a: dict[str, Any], org_a: Any) -> None:
    response = world_a["counsellor"].get(f"/api/candidates/{world_a['candidate']}/export/")
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == "clea-personal-data-export/1"
    assert data["candidate"]["first_name"] == "Léa" and data["candidate"]["email"] == "lea@example.test"
    assert data["candidate"]["portal_account"]["username"] == world_a["candidate_user"].username
    (record,) = data["files"]
    assert record["id"] == world_a["file"] and record["state"] == "training"
    assert record["evaluations"][0]["results"] and record["training_paths"][0]["sessions"]
    assert [e["uid"] for e in record["evidence"]] == [world_a["evidence"]]
    assert [d["kind"] for d in record["decisions"]][:2] == ["welcomed", "file_opened"]
    assert {"purpose": "Certification CléA", "event": "file_opened"}.items() <= data["consents"][0].items()
    assert data["retention"]["closed_file_months"] == 36
    assert any(p["id"] == "candidate-journey" for p in data["processing"])
    with schema_context(org_a.schema_name):
        assert AuditEntry.objects.filter(action="gdpr.export", object_ref=f"candidate:{world_a['candidate']}").exists()


def test_pdf_export_and_the_candidates_own_export(world_a: dict[str, Any], org_a: Any, api_client_for: Any) -> None:
    pdf = world_a["counsellor"].get(f"/api/candidates/{world_a['candidate']}/export/", {"output": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from rest_framework.authtoken.models import Token
    from tests.fixtures.tenants import TenantAPIClient

    client = TenantAPIClient(HTTP_HOST=f"{org_a.slug}.clea.test")
    with schema_context(org_a.schema_name):
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world_a['candidate_user']).key}")
    mine = client.get("/api/me/export/")
    assert mine.status_code == 200 and mine.json()["candidate"]["id"] == world_a["candidate"]
    assert api_client_for(org_a, "candidate").get("/api/me/export/").status_code == 404  # no candidate record


def test_an_active_file_must_be_withdrawn_before_erasure(
    world_a: dict[str, Any], org_a: Any, api_client_for: Any
) -> None:
    admin = api_client_for(org_a, "admin")
    response = admin.post(f"/api/candidates/{world_a['candidate']}/erase/")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"
    assert world_a["counsellor"].post(f"/api/candidates/{world_a['candidate']}/erase/").status_code == 403


def test_erasure_without_certification_pseudonymises_and_deletes_evidence(
    world_a: dict[str, Any], org_a: Any, api_client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    counsellor, file_id = world_a["counsellor"], world_a["file"]
    assert (
        counsellor.post(
            f"/api/files/{file_id}/withdraw/", {"reason": "other", "reason_detail": "Déménage à Lille"}, format="json"
        ).status_code
        == 200
    )
    with schema_context(org_a.schema_name):
        stored = str(Evidence.objects.get(uid=world_a["evidence"]).content.name)
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(org_a, "admin").post(f"/api/candidates/{world_a['candidate']}/erase/")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["certified"] is False and report["erased"]["evidence"] == 1 and "pseudonyme" in report["note"]
    assert not default_storage.exists(stored)
    with schema_context(org_a.schema_name):
        person = Candidate.objects.get(pk=world_a["candidate"])
        assert (person.first_name, person.last_name, person.email, person.birth_date) == ("", "[effacé]", "", None)
        assert not EvaluationRecord.objects.filter(file_id=file_id).exists()
        withdrawal = DecisionRecord.objects.get(file_id=file_id, kind="withdrawn")
        assert withdrawal.detail["reason"] == ""  # decisions keep no free text
        record = CandidateFileRecord.objects.get(pk=file_id)
        assert record.state == "withdrawn" and record.consent_purpose == "" and record.prescriber_name == ""
        world_a["candidate_user"].refresh_from_db()
        assert not world_a["candidate_user"].is_active and world_a["candidate_user"].email == ""
        assert AuditEntry.objects.filter(action="gdpr.erase", object_ref=f"candidate:{world_a['candidate']}").exists()
    export = counsellor.get(f"/api/candidates/{world_a['candidate']}/export/").json()
    assert "Léa" not in str(export) and "Lille" not in str(export) and export["erasure"]["reason"] == "request"


def test_after_certification_only_what_the_certifier_must_keep_stays(
    org_a: Any, api_client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from clea.journey import services
    from clea.kernel.journey import Actor

    counsellor = api_client_for(org_a, "counsellor")
    body = walk_to(counsellor, "ready_for_jury")
    assert counsellor.post(f"/api/files/{body['id']}/submit/", {}, format="json").status_code == 200
    with schema_context(org_a.schema_name):
        services.do_record_jury_outcome(
            body["id"], "certified", Actor("federation/user:1", "jury", "public"), certificate_number="CLEA-2026-000042"
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(org_a, "admin").post(f"/api/candidates/{body['candidate']['id']}/erase/")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["certified"] is True and "numéro du certificat" in report["note"]
    assert any("certificate_number" in item for item in report["kept"])
    with schema_context(org_a.schema_name):
        person = Candidate.objects.get(pk=body["candidate"]["id"])
        assert (person.first_name, person.last_name, person.email) == ("Léa", "Martin", "")
        jury = DecisionRecord.objects.get(file_id=body["id"], kind="jury_decision")
        assert jury.detail["certificate_number"] == "CLEA-2026-000042" and jury.detail["outcome"] == "certified"
        assert not EvaluationRecord.objects.filter(file_id=body["id"]).exists()


def test_retention_purge_erases_what_is_past_its_period(
    org_a: Any, api_client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from clea.privacy.models import ErasureRecord, RetentionPolicy
    from clea.privacy.retention import purge
    from clea.tasks.schedules import SCHEDULES

    admin = api_client_for(org_a, "admin")
    assert (
        admin.put(
            "/api/privacy/retention/",
            {"closed_file_months": 2, "evidence_months": 1, "unopened_file_months": 6, "login_log_months": 6},
            format="json",
        ).status_code
        == 200
    )
    counsellor = api_client_for(org_a, "counsellor")
    closed = walk_to(counsellor, "file_opened")
    counsellor.post(f"/api/files/{closed['id']}/withdraw/", {"reason": "moved"}, format="json")
    active = walk_to(counsellor, "file_opened")
    today = timezone.localdate()
    with schema_context(org_a.schema_name):
        assert RetentionPolicy.current().closed_file_months == 2
        assert purge(today)["candidates_erased"] == 0  # too recent
        with django_capture_on_commit_callbacks(execute=True):
            done = purge(today + timedelta(days=75))
        assert done["candidates_erased"] >= 1
        assert ErasureRecord.objects.filter(candidate_id=closed["candidate"]["id"], reason="retention").exists()
        assert not ErasureRecord.objects.filter(candidate_id=active["candidate"]["id"]).exists()
        assert AuditEntry.objects.filter(action="gdpr.erase", actor_ref="system:retention").exists()
    assert any(s.task == "clea.tasks.retention.purge_expired_data" and s.all_tenants for s in SCHEDULES)
    assert counsellor.put("/api/privacy/retention/", {"closed_file_months": 1}, format="json").status_code == 403
    assert admin.put("/api/privacy/retention/", {"closed_file_months": 0}, format="json").status_code == 400


def test_processing_register_is_served_and_documented(federation_client: Any, api_client_for: Any) -> None:
    from clea.privacy.register import load_register, register_markdown

    body = federation_client.get("/api/federation/processing-register/").json()
    assert body == load_register() and len(body["processing"]) >= 5
    assert api_client_for(None, "jury_member").get("/api/federation/processing-register/").status_code == 200
    security_doc = (ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    assert register_markdown() in security_doc, "docs/SECURITY.md: paste register_markdown() (register changed)"


def test_restart_records_the_new_consent(org_a: Any, api_client_for: Any) -> None:
    from datetime import date

    from clea.journey import services
    from clea.kernel.journey import Consent

    counsellor = api_client_for(org_a, "counsellor")
    body = walk_to(counsellor, "file_opened")
    with schema_context(org_a.schema_name):
        CandidateFileRecord.objects.filter(pk=body["id"]).update(state="expired")
        services.do_restart(body["id"], None, Consent("Reprise du parcours", date(2031, 1, 2)), counsellor.user)
        record = CandidateFileRecord.objects.get(pk=body["id"])
        assert (record.consent_purpose, record.consent_given_on) == ("Reprise du parcours", date(2031, 1, 2))
