"""Issue 14 through the API: refer, the organisation's inbox, stages, results back, isolation, consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context
from tests.api.journey_helpers import ALL_CRITERIA, initial_payload, open_payload
from tests.prescribers.conftest import PrescriberFixture, referral_body

from clea.journey import services as journey
from clea.journey.models import CandidateFileRecord, DecisionRecord
from clea.kernel.journey import Actor
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import Notification, Referral

pytestmark = [pytest.mark.db]


def refer(p: PrescriberFixture, org: Any, **kwargs: Any) -> dict[str, Any]:
    response = p.client.post("/api/prescriber/referrals/", referral_body(org.pk, **kwargs), format="json")
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def inbox_id(org: Any, uid: str) -> int:
    with schema_context(org.schema_name):
        return int(IncomingReferral.objects.get(referral_uid=uid).pk)


def test_refer_accept_follow_and_result_back(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    org_b: Any,
    api_client_for: Callable[..., Any],
) -> None:
    france_travail = prescriber()
    employer = prescriber("employer", "Entreprise Dupont")
    body = refer(france_travail, org_a)
    assert body["stage"] == "sent" and body["status"] == "sent"
    assert run_followups() == ["clea.tasks.prescribers.deliver_referral"]
    # The referral reached org A's schema only.
    with schema_context(org_b.schema_name):
        assert not IncomingReferral.objects.exists()
    counsellor = api_client_for(org_a, "counsellor")
    inbox = counsellor.get("/api/referrals/").json()
    assert [(i["last_name"], i["prescriber_name"], i["status"]) for i in inbox] == [
        ("Martin", "France Travail Lyon", "pending")
    ]
    assert inbox[0]["message"] == "Demandeuse d'emploi, projet dans le BTP."
    assert api_client_for(org_b, "counsellor").get("/api/referrals/").json() == []
    assert api_client_for(org_b, "counsellor").post(f"/api/referrals/{inbox[0]['id']}/accept/").status_code == 404

    response = counsellor.post(f"/api/referrals/{inbox[0]['id']}/accept/")
    assert response.status_code == 200, response.json()
    file_id = response.json()["file_id"]
    with schema_context(org_a.schema_name):
        record = CandidateFileRecord.objects.get(pk=file_id)
        assert (record.prescriber_type, record.prescriber_name) == ("france_travail", "France Travail Lyon")  # R1
        welcome = DecisionRecord.objects.get(file=record, kind="welcomed")
        assert welcome.detail["prescriber"] == "France Travail Lyon"
    assert france_travail.client.get(f"/api/prescriber/referrals/{body['id']}/").json()["stage"] == "welcomed"
    # A second answer is a conflict, not a second file.
    assert counsellor.post(f"/api/referrals/{inbox[0]['id']}/accept/").status_code == 409

    # The journey goes on in org A; the prescriber reads the stage, never the content.
    version = counsellor.get(f"/api/files/{file_id}/").json()["version"]
    counsellor.post(f"/api/files/{file_id}/open/", open_payload(version), format="json")
    version = counsellor.get(f"/api/files/{file_id}/").json()["version"]
    response = counsellor.post(
        f"/api/files/{file_id}/evaluations/", initial_payload(version, ALL_CRITERIA), format="json"
    )
    assert response.status_code == 201, response.json()
    response = counsellor.post(f"/api/files/{file_id}/submit/", {"version": response.json()["version"]}, format="json")
    assert response.status_code == 200, response.json()
    followed = france_travail.client.get(f"/api/prescriber/referrals/{body['id']}/").json()
    assert followed["stage"] == "at_jury"
    assert set(followed["stage_dates"]) == {"sent", "welcomed", "at_jury"}
    assert "evaluations" not in followed and "results" not in followed

    # The jury decides; its decision flows back to org A (as clea.tasks.jury does), then to the prescriber.
    with schema_context(org_a.schema_name):
        journey.do_record_jury_outcome(
            file_id, "certified", Actor("jury:test", "jury", "public"), reasons="", certificate_number="CLEA-2026-0001"
        )
    mail.outbox.clear()
    assert "clea.tasks.prescribers.send_result" in run_followups()
    followed = france_travail.client.get(f"/api/prescriber/referrals/{body['id']}/").json()
    assert (followed["stage"], followed["certificate_number"]) == ("certified", "CLEA-2026-0001")
    notification = france_travail.client.get("/api/prescriber/notifications/").json()[0]
    assert "/verifier/CLEA-2026-0001/" in notification["link"]
    assert len(mail.outbox) == 1 and "CLEA-2026-0001" in mail.outbox[0].body
    assert france_travail.member.user.email in mail.outbox[0].to
    figures = france_travail.client.get("/api/prescriber/figures/").json()
    assert (figures["referred"], figures["started"], figures["certified"]) == (1, 1, 1)
    assert figures["median_days_to_certificate"] == 0.0

    # The second prescriber sees none of it, on every endpoint.
    assert employer.client.get("/api/prescriber/referrals/").json() == []
    assert employer.client.get(f"/api/prescriber/referrals/{body['id']}/").status_code == 404
    assert employer.client.post(f"/api/prescriber/referrals/{body['id']}/withdraw-consent/").status_code == 404
    assert employer.client.get("/api/prescriber/notifications/").json() == []
    assert employer.client.get("/api/prescriber/figures/").json()["referred"] == 0
    # An organisation's counsellor is not a prescriber (other schema, other users: no token here).
    assert api_client_for(org_a, "counsellor").get("/api/prescriber/referrals/").status_code in (401, 403, 404)
    assert api_client_for(None, "analyst").get("/api/prescriber/referrals/").status_code == 403


def test_decline_with_a_reason_the_prescriber_reads(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    api_client_for: Callable[..., Any],
) -> None:
    p = prescriber("employer", "Entreprise Dupont")
    body = refer(p, org_a)
    run_followups()
    counsellor = api_client_for(org_a, "counsellor")
    pk = inbox_id(org_a, body["uid"])
    response = counsellor.post(f"/api/referrals/{pk}/decline/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = counsellor.post(f"/api/referrals/{pk}/decline/", {"reason": "Plus de place avant mars."}, format="json")
    assert response.status_code == 200, response.json()
    run_followups()
    followed = p.client.get(f"/api/prescriber/referrals/{body['id']}/").json()
    assert (followed["status"], followed["stage"], followed["decline_reason"]) == (
        "declined",
        "declined",
        "Plus de place avant mars.",
    )
    assert "Plus de place avant mars." in p.client.get("/api/prescriber/notifications/").json()[0]["text"]
    with schema_context(org_a.schema_name):
        assert not CandidateFileRecord.objects.exists()


def test_withdrawn_consent_hides_the_person_and_stops_sharing(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    api_client_for: Callable[..., Any],
) -> None:
    p = prescriber()
    body = refer(p, org_a)
    run_followups()
    counsellor = api_client_for(org_a, "counsellor")
    file_id = counsellor.post(f"/api/referrals/{inbox_id(org_a, body['uid'])}/accept/").json()["file_id"]
    assert p.client.post(f"/api/prescriber/referrals/{body['id']}/withdraw-consent/").status_code == 204
    assert p.client.get("/api/prescriber/referrals/").json() == []
    assert p.client.get(f"/api/prescriber/referrals/{body['id']}/").status_code == 404
    version = counsellor.get(f"/api/files/{file_id}/").json()["version"]
    counsellor.post(f"/api/files/{file_id}/open/", open_payload(version), format="json")
    referral = Referral.objects.get(pk=body["id"])
    assert referral.stage == "welcomed" and referral.stage_dates == {}  # nothing new shared, what was is erased
    assert not Notification.objects.filter(referral=referral).exists()


def test_bad_input_is_400_and_stores_nothing(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, run_followups: Callable[..., list[str]]
) -> None:
    p = prescriber()
    no_consent = referral_body(org_a.pk)
    no_consent["consent"]["given"] = False
    cases = [
        no_consent,
        {**referral_body(org_a.pk), "person": {"first_name": "", "last_name": "X"}},
        {**referral_body(org_a.pk), "organisation": 999999},
        {**referral_body(org_a.pk), "consent": {"given": True, "given_on": "2999-01-01"}},
        {"organisation": "x"},
    ]
    for body in cases:
        response = p.client.post("/api/prescriber/referrals/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert response.json()["code"]
    assert not Referral.objects.exists()
    assert run_followups() == []
    response = p.client.get("/api/prescriber/organisations/", {"postcode": "7500"})
    assert response.status_code == 400 and "postcode" in response.json()["fields"]


def test_a_person_who_stops_gets_the_attestation_to_the_prescriber(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    api_client_for: Callable[..., Any],
) -> None:
    p = prescriber()
    body = refer(p, org_a)
    run_followups()
    counsellor = api_client_for(org_a, "counsellor")
    file_id = counsellor.post(f"/api/referrals/{inbox_id(org_a, body['uid'])}/accept/").json()["file_id"]
    version = counsellor.get(f"/api/files/{file_id}/").json()["version"]
    with schema_context(org_a.schema_name):
        journey.do_withdraw(file_id, version, "moved", counsellor.user)
    ran = run_followups()
    assert ran == ["clea.tasks.prescribers.share_attestation", "clea.tasks.prescribers.send_result"]
    followed = p.client.get(f"/api/prescriber/referrals/{body['id']}/").json()
    assert followed["stage"] == "withdrawn" and followed["has_attestation"] is True
    notification = p.client.get("/api/prescriber/notifications/").json()[0]
    assert notification["link"].endswith(f"/prescripteur/orientations/{body['id']}/attestation.pdf")
    web = Client(HTTP_HOST="clea.test")
    web.force_login(p.member.user)
    pdf = web.get(f"/prescripteur/orientations/{body['id']}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Once consent is withdrawn, the attestation is no longer served.
    p.client.post(f"/api/prescriber/referrals/{body['id']}/withdraw-consent/")
    assert web.get(f"/prescripteur/orientations/{body['id']}/attestation.pdf").status_code == 404


def test_the_organisation_records_a_withdrawal_of_consent(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    org_b: Any,
    api_client_for: Callable[..., Any],
) -> None:
    p = prescriber()
    body = refer(p, org_a)
    run_followups()
    pk = inbox_id(org_a, body["uid"])
    assert api_client_for(org_b, "counsellor").post(f"/api/referrals/{pk}/withdraw-consent/").status_code == 404
    response = api_client_for(org_a, "counsellor").post(f"/api/referrals/{pk}/withdraw-consent/")
    assert response.status_code == 200 and response.json()["share_results"] is False
    assert p.client.get(f"/api/prescriber/referrals/{body['id']}/").status_code == 404


def test_erasing_the_candidate_erases_the_inbox_copy_and_stops_sharing(
    prescriber: Callable[..., PrescriberFixture],
    run_followups: Callable[..., list[str]],
    org_a: Any,
    api_client_for: Any,
) -> None:
    p = prescriber()
    body = refer(p, org_a)
    run_followups()
    counsellor = api_client_for(org_a, "counsellor")
    file_id = counsellor.post(f"/api/referrals/{inbox_id(org_a, body['uid'])}/accept/").json()["file_id"]
    version = counsellor.get(f"/api/files/{file_id}/").json()["version"]
    with schema_context(org_a.schema_name):
        journey.do_withdraw(file_id, version, "other", counsellor.user, detail="Départ")
        candidate_id = CandidateFileRecord.objects.get(pk=file_id).candidate_id
    response = api_client_for(org_a, "admin").post(f"/api/candidates/{candidate_id}/erase/")
    assert response.status_code == 200, response.json()
    with schema_context(org_a.schema_name):
        copy = IncomingReferral.objects.get(file_id=file_id)
        assert (copy.last_name, copy.email, copy.message, copy.share_results) == ("[effacé]", "", "", False)
    assert p.client.get(f"/api/prescriber/referrals/{body['id']}/").status_code == 404
