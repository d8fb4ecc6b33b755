"""Issue 13 §7: withdrawal with a reason from the list, restart with fresh consent — API and web, one service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at

from clea.journey.models import CandidateFileRecord, DecisionRecord

pytestmark = pytest.mark.db

Clients = Callable[..., Any]


def _state(schema: str, file_id: int) -> str:
    with schema_context(schema):
        return str(CandidateFileRecord.objects.get(pk=file_id).state)


def _last_decision(schema: str, file_id: int) -> DecisionRecord:
    with schema_context(schema):
        return DecisionRecord.objects.filter(file_id=file_id).order_by("-id").first()  # type: ignore[return-value]


def test_api_withdrawal_takes_a_reason_code_detail_and_confirmation(org_a: Any, api_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "training", counsellor)
    api = api_client_for(org_a, "counsellor")
    url = f"/api/files/{file_id}/withdraw/"
    for bad, field in [
        ({"reason": "A trouvé un emploi"}, "reason"),  # free text: refused since reasons are a list
        ({}, "reason"),
        ({"reason": "moved", "confirmed_on": "demain"}, "confirmed_on"),
    ]:
        refused = api.post(url, bad, format="json")
        assert refused.status_code == 400, bad
        assert field in str(refused.json()), refused.json()
    other = api.post(url, {"reason": "other"}, format="json")  # "other" without its detail: kernel refusal
    assert other.status_code in (400, 422) and other.json()["code"] == "withdrawal_detail_required"
    future = api.post(url, {"reason": "moved", "confirmed_on": str(date.today() + timedelta(days=2))}, format="json")
    assert future.json()["code"] == "withdrawal_confirmed_in_future"
    assert _state(schema, file_id) == "training"  # nothing stored
    done = api.post(
        url,
        {"reason": "other", "reason_detail": "Part vivre à l'étranger", "confirmed_on": str(date.today())},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "withdrawn"
    detail = _last_decision(schema, file_id).detail
    assert detail == {"reason_code": "other", "reason": "Part vivre à l'étranger", "confirmed_on": str(date.today())}


def test_api_restart_of_a_withdrawn_file_needs_fresh_consent(org_a: Any, api_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "training", counsellor)
    api = api_client_for(org_a, "counsellor")
    assert api.post(f"/api/files/{file_id}/withdraw/", {"reason": "health"}, format="json").status_code == 200
    refused = api.post(f"/api/files/{file_id}/restart/", {"consent": False, "consent_purpose": "x"}, format="json")
    assert refused.status_code >= 400 and refused.json()["code"] == "consent_required"
    assert _state(schema, file_id) == "withdrawn"
    restarted = api.post(
        f"/api/files/{file_id}/restart/", {"consent": True, "consent_purpose": "Reprise du parcours"}, format="json"
    )
    assert restarted.status_code == 200, restarted.json()
    assert restarted.json()["state"] == "file_opened"
    assert _last_decision(schema, file_id).kind == "restarted"


def test_web_withdrawal_page_records_the_reason_and_refuses_in_french(org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "evaluated", counsellor)
    web = web_client_for(org_a, user=counsellor)
    page = web.get(f"/dossiers/{file_id}/sortie/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "A trouvé un emploi" in html and "Injoignable" in html and "Le candidat a confirmé sa sortie" in html
    with schema_context(schema):
        version = CandidateFileRecord.objects.get(pk=file_id).version
    refused = web.post(f"/dossiers/{file_id}/sortie/", {"version": version, "reason": "other", "detail": " "})
    assert refused.status_code == 200 and "Le motif « Autre » doit être précisé." in refused.content.decode()
    unknown = web.post(f"/dossiers/{file_id}/sortie/", {"version": version, "reason": "bof"})
    assert "Sélectionnez un choix valide" in unknown.content.decode()
    assert _state(schema, file_id) == "evaluated"
    done = web.post(f"/dossiers/{file_id}/sortie/", {"version": version, "reason": "found_job", "confirmed": "on"})
    assert done.status_code == 302 and done["Location"] == f"/dossiers/{file_id}/"
    assert _state(schema, file_id) == "withdrawn"
    assert _last_decision(schema, file_id).detail == {
        "reason_code": "found_job",
        "reason": "A trouvé un emploi",
        "confirmed_on": str(date.today()),
    }
    file_page = web.get(f"/dossiers/{file_id}/").content.decode()
    assert f"/dossiers/{file_id}/reprise/" in file_page


def test_web_restart_page_needs_fresh_consent(org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "evaluated", counsellor)
    web = web_client_for(org_a, user=counsellor)
    with schema_context(schema):
        version = CandidateFileRecord.objects.get(pk=file_id).version
    not_yet = web.get(f"/dossiers/{file_id}/reprise/").content.decode()
    assert "Seul un dossier sorti du dispositif" in not_yet
    web.post(f"/dossiers/{file_id}/sortie/", {"version": version, "reason": "unreachable"})
    with schema_context(schema):
        version = CandidateFileRecord.objects.get(pk=file_id).version
    no_consent = web.post(f"/dossiers/{file_id}/reprise/", {"version": version, "consent_purpose": "Reprise"})
    assert no_consent.status_code == 200 and "consentement" in no_consent.content.decode()
    assert _state(schema, file_id) == "withdrawn"
    done = web.post(
        f"/dossiers/{file_id}/reprise/", {"version": version, "consent": "on", "consent_purpose": "Reprise"}
    )
    assert done.status_code == 302
    assert _state(schema, file_id) == "file_opened"


def test_other_organisations_and_other_roles_never_reach_the_pages(
    org_a: Any, org_b: Any, web_client_for: Clients
) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "evaluated", counsellor)
    with schema_context(schema):
        version = CandidateFileRecord.objects.get(pk=file_id).version
    stranger = web_client_for(org_b, "counsellor")
    for url in (f"/dossiers/{file_id}/sortie/", f"/dossiers/{file_id}/reprise/"):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url, {"version": version, "reason": "moved"}).status_code == 404
    for role in ("trainer", "candidate"):
        other = web_client_for(org_a, role)
        assert other.get(f"/dossiers/{file_id}/sortie/").status_code in (403, 404)
        assert other.post(f"/dossiers/{file_id}/sortie/", {"version": version, "reason": "moved"}).status_code in (
            403,
            404,
        )
    assert _state(schema, file_id) == "evaluated"


def test_only_a_listed_reason_code_is_ever_published() -> None:
    from clea.facts.services import public_detail

    detail = {"reason_code": "moved", "reason": "Part chez sa sœur à Lille", "confirmed_on": "2026-12-01"}
    assert public_detail(detail) == {"reason_code": "moved"}
    assert public_detail({"reason_code": "Jean Dupont", "reason": "x"}) == {}
