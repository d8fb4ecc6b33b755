"""From an organisation to the federation's jury and back.

A file submitted through org A's API → assigned to a session → deliberated → the decision flows back to org A
through the Celery task (run in-process with ``apply()``, the way a worker would: from the public schema it
enters the organisation's schema) → the file is ``certified`` in org A, its candidate's portal shows the
number, and the certificate verifies on the public page. A refused file gets org A's attestation of what is
acquired (R12). Org B never sees any of it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader
from tests.certification.conftest import JuryFixture, plan_session, tenant_client
from tests.fixtures.tenants import make_user

from clea.certification.disclosure import printed_code
from clea.certification.models import JurySubmission
from clea.journey.events import JourneyEvent, followups
from clea.journey.models import CandidateFileRecord, DecisionRecord, Document
from clea.outbox.models import OutboxMessage
from clea.tasks.documents import generate_partial_attestation
from clea.tasks.jury import record_jury_decision
from clea_tenants.schemas import use_public_schema

pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


def decide_and_send_back(
    federation_client: Any,
    jury: JuryFixture,
    decisions: list[dict[str, Any]],
    submissions: list[JurySubmission],
    capture: Callable[..., Any],
) -> list[dict[str, Any]]:
    session = plan_session(federation_client, jury)
    federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/assign/",
        {"submissions": [s.pk for s in submissions]},
        format="json",
    )
    with capture(execute=False) as callbacks:  # what would leave for the broker once the deliberation commits
        response = jury.client(jury.employees[0]).post(
            f"/api/federation/jury-sessions/{session.pk}/deliberate/",
            {"present": [jury.employers[0].pk, jury.employees[0].pk], "decisions": decisions},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert callbacks is not None  # nothing relayed yet: the test's transaction never commits
    sent_back = OutboxMessage.objects.filter(task_name="clea.tasks.jury.record_jury_decision", sent_at=None)
    assert sorted(m.args[0] for m in sent_back) == sorted(s.pk for s in submissions)  # one per decision
    for submission in submissions:
        result = record_jury_decision.apply(args=[submission.pk])  # the worker's job, in-process
        assert result.successful(), result.traceback
        assert result.get() in ("certified", "refused", "adjourned")
        assert record_jury_decision.apply(args=[submission.pk]).get() == "already recorded"  # idempotent
        use_public_schema()
    decided: list[dict[str, Any]] = response.json()
    return decided


def test_certified_file_flows_back_and_verifies(
    federation_client: Any,
    jury: JuryFixture,
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
    org_b: Any,
    api_client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    submission = submit_file(org_a, "Certifiée")
    tenant = tenant_client(submission)
    (decision,) = decide_and_send_back(
        federation_client,
        jury,
        [{"submission": submission.pk, "outcome": "certified"}],
        [submission],
        django_capture_on_commit_callbacks,
    )
    number = decision["certificate_number"]

    # org A's file: certified, with the number, through its own API
    file = tenant.get(f"/api/files/{submission.file_ref}/").json()
    assert file["state"] == "certified"
    jury_decision = [d for d in file["decisions"] if d["kind"] == "jury_decision"][-1]
    assert jury_decision["detail"]["certificate_number"] == number
    assert jury_decision["role"] == "jury"

    # the candidate's portal shows the number and links to the federation's verification page
    with schema_context(org_a.schema_name):
        candidate_user = make_user(org_a.schema_name, "candidate")
        record = CandidateFileRecord.objects.select_related("candidate").get(pk=int(submission.file_ref))
        record.candidate.user = candidate_user
        record.candidate.save(update_fields=["user"])
    portal = Client(HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org_a.schema_name):
        portal.force_login(candidate_user)
    page = portal.get("/mon-dossier/").content.decode()
    use_public_schema()
    assert f"Certifié — n° {number}" in page
    assert f"http://{settings.CLEA_BASE_DOMAIN}/verifier/{number}/" in page

    # anyone verifies it on the federation's public page, without signing in
    public = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    verification = public.get(f"/verifier/{number}/")
    assert verification.status_code == 200
    assert "Certificat authentique" in verification.content.decode()
    assert "L. C." in verification.content.decode() and "Léa Certifiée" not in verification.content.decode()
    with_code = public.get(f"/verifier/{number}/", {"code": printed_code(number)}).content.decode()
    assert "Léa Certifiée" in with_code  # the code printed on the certificate shows the full name
    assert public.get("/verifier/", {"numero": number.lower()})["Location"] == f"/verifier/{number}/"
    assert public.get("/verifier/CLEA-2026-000001-00/").status_code == 404

    # org B reads nothing of it: not the file, not the jury's API, not another organisation's results
    other = api_client_for(org_b, "counsellor")
    assert other.get(f"/api/files/{submission.file_ref}/").status_code == 404
    assert other.get("/api/federation/submissions/").status_code == 404
    assert other.get("/api/federation/certificates/").status_code == 404
    assert all(f["state"] != "certified" for f in other.get("/api/files/").json()["results"])


def test_refused_file_flows_back_with_its_reasons_and_an_attestation(
    federation_client: Any,
    jury: JuryFixture,
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    refused, adjourned = submit_file(org_a, "Refusée"), submit_file(org_a, "Ajournée")
    decide_and_send_back(
        federation_client,
        jury,
        [
            {"submission": refused.pk, "outcome": "refused", "reasons": "Évaluation à reprendre : preuves absentes."},
            {"submission": adjourned.pk, "outcome": "adjourned", "reasons": "Pièce manquante."},
        ],
        [refused, adjourned],
        django_capture_on_commit_callbacks,
    )
    tenant = tenant_client(refused)
    body = tenant.get(f"/api/files/{refused.file_ref}/").json()
    assert body["state"] == "refused"
    assert body["decisions"][-1]["detail"]["reasons"] == "Évaluation à reprendre : preuves absentes."
    assert body["decisions"][-1]["detail"]["certificate_number"] == ""
    assert tenant.get(f"/api/files/{adjourned.file_ref}/").json()["state"] == "submitted"  # back on a later session

    # R12: the organisation's follow-up of a refusal is the attestation of what is acquired (tasks/documents.py)
    with schema_context(org_a.schema_name):
        decision = DecisionRecord.objects.filter(file_id=int(refused.file_ref)).latest("pk")
        file_id = int(refused.file_ref)
        event = JourneyEvent(org_a.schema_name, file_id, int(decision.pk), decision.kind, decision.to_state)
        assert "clea.tasks.documents.generate_partial_attestation" in followups(event)
        result = generate_partial_attestation.apply(args=[int(refused.file_ref), int(decision.pk)])
        assert result.successful(), result.traceback
        document = Document.objects.get(uid=result.get())
        pages = PdfReader(io.BytesIO(document.content.read())).pages
        text = " ".join(" ".join(p.extract_text() for p in pages).split())
    use_public_schema()
    assert "Attestation de compétences acquises" in text
    assert "Léa Refusée" in text


def test_demo_jury(submit_file: Callable[..., JurySubmission], org_a: Any, org_b: Any) -> None:
    """The demo's jury: 2 + 2 members, a closed session, two files certified and one refused, in the files too."""
    from clea.certification.demo import seed_jury

    submissions = [submit_file(org_a, name) for name in ("Un", "Deux", "Trois")]
    login, numbers = seed_jury("demo-password-123", organisation_slug=org_a.slug)
    use_public_schema()
    assert login == "jury@clea.example"
    assert len(numbers) == 2
    public = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    for number in numbers:
        assert "Certificat authentique" in public.get(f"/verifier/{number}/").content.decode()
    states = [tenant_client(s).get(f"/api/files/{s.file_ref}/").json()["state"] for s in submissions]
    assert sorted(states) == ["certified", "certified", "refused"]
    assert seed_jury("demo-password-123", organisation_slug=org_a.slug) == (login, numbers)  # idempotent
