"""The candidate's identity through the organisation's API: normalised, INSEE code resolved (asking when
ambiguous), tenant-isolated, in the GDPR export and erasure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.api.journey_helpers import refer_payload

pytestmark = [pytest.mark.db]

IDENTITY = {
    "civility": "MME",
    "birth_name": " dupont ",
    "usage_name": "martin",
    "first_names": ["léa", "Marie  Claire"],
    "birth_date": "1990-03-14",
}


def new_candidate_from(body: dict[str, Any]) -> int:
    return int(body["candidate"]["id"] if isinstance(body["candidate"], dict) else body["candidate"])


def new_candidate(client: Any) -> int:
    return new_candidate_from(client.post("/api/files/", refer_payload(), format="json").json())


def test_identity_with_a_postcode_resolved_or_asked(api_client_for: Callable[..., Any], org_a: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    candidate = new_candidate(counsellor)
    url = f"/api/candidates/{candidate}/identity/"
    assert counsellor.get(url).status_code == 404

    ambiguous = counsellor.put(
        url, {**IDENTITY, "birth_postcode": "68210", "birth_commune_name": "Bernwiller"}, format="json"
    )
    assert ambiguous.status_code == 400
    assert {c["insee_code"] for c in ambiguous.json()["choices"]} == {"68006", "68031"}
    assert counsellor.get(url).status_code == 404  # nothing half-written

    saved = counsellor.put(url, {**IDENTITY, "birth_postcode": "69001", "birth_commune_name": "Lyon"}, format="json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["birth_name"] == "DUPONT" and body["usage_name"] == "MARTIN"
    assert body["first_names"] == ["Léa", "Marie Claire"]
    assert (body["birth_insee_code"], body["birth_commune_name"], body["born_abroad"]) == ("69123", "Lyon", False)
    assert body["geography_version"] == "6.0.0"

    abroad = counsellor.put(url, {**IDENTITY, "birth_country": "MA", "birth_town_abroad": "Fès"}, format="json")
    assert abroad.status_code == 200 and abroad.json()["born_abroad"] is True
    assert abroad.json()["birth_insee_code"] == ""

    bad = counsellor.put(url, {**IDENTITY, "birth_date": "2020-01-01", "birth_insee_code": "00000"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) >= {"birth_date", "birth_insee_code"}  # every field's message at once
    assert counsellor.get(url).json()["birth_country"] == "MA"  # unchanged

    communes = counsellor.get("/api/geography/communes/", {"postcode": "93200", "name": "saint denis"}).json()
    assert [c["insee_code"] for c in communes] == ["93066"]
    assert counsellor.get("/api/geography/communes/", {"code": "2A004"}).json()[0]["name"] == "Ajaccio"


def test_identity_is_isolated_exported_and_erased(api_client_for: Callable[..., Any], org_a: Any, org_b: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    candidate = new_candidate(counsellor)
    url = f"/api/candidates/{candidate}/identity/"
    assert counsellor.put(url, {**IDENTITY, "birth_insee_code": "75115"}, format="json").status_code == 200
    assert api_client_for(org_b, "counsellor").get(url).status_code == 404  # another organisation: nothing
    assert api_client_for(org_b, "counsellor").put(url, IDENTITY, format="json").status_code == 404
    assert api_client_for(org_a, "candidate").get(url).status_code == 403

    export = counsellor.get(f"/api/candidates/{candidate}/export/").json()
    assert export["candidate"]["identity"]["birth_insee_code"] == "75115"
    assert export["candidate"]["identity"]["birth_commune_name"] == "Paris 15e Arrondissement"

    erased = api_client_for(org_a, "admin").post(f"/api/candidates/{candidate}/erase/")
    assert erased.status_code == 200, erased.json()
    assert counsellor.get(url).status_code == 404  # not certified: the identity is erased


def test_the_counsellors_identity_page(api_client_for: Callable[..., Any], org_a: Any, org_b: Any) -> None:
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import schema_context
    from tests.fixtures.tenants import make_user

    from clea.identity.models import CandidateIdentity

    api = api_client_for(org_a, "counsellor")
    body = api.post("/api/files/", refer_payload(), format="json").json()
    candidate = new_candidate_from(body)
    with schema_context(org_a.schema_name):
        counsellor = make_user(org_a.schema_name, "counsellor")
    browser = Client(HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org_a.schema_name):
        browser.force_login(counsellor)
    url = f"/dossiers/{body['id']}/etat-civil/"
    assert url in browser.get(f"/dossiers/{body['id']}/").content.decode()
    form = {
        "civility": "M",
        "birth_name": "Dupont",
        "first_names": "jean, pierre",
        "birth_date": "1980-02-01",
        "birth_country": "FR",
        "birth_postcode": "68210",
        "birth_commune_name": "Bernwiller",
    }
    asked = browser.post(url, form)
    assert asked.status_code == 400
    assert "68006" in asked.content.decode() and "68031" in asked.content.decode()
    done = browser.post(url, {**form, "birth_insee_code": "68006"})
    assert done.status_code == 302 and done["Location"] == f"/dossiers/{body['id']}/"
    with schema_context(org_a.schema_name):
        saved = CandidateIdentity.objects.get(candidate_id=candidate)
        assert (saved.first_names, saved.birth_insee_code) == (["Jean", "Pierre"], "68006")
    with schema_context(org_b.schema_name):
        other = make_user(org_b.schema_name, "counsellor")
    stranger = Client(HTTP_HOST=f"{org_b.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org_b.schema_name):
        stranger.force_login(other)
    assert stranger.get(url).status_code == 404
