"""The register API (#15 §1–§2): establishments, habilitations and R14, training bodies; roles and bad input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.api.journey_helpers import ALL_CRITERIA, initial_payload, walk_to
from tests.fixtures.tenants import luhn_siret as _luhn_complete

from clea.audit.models import AuditEntry
from clea.register import services
from clea_tenants.accreditations import grant as grant_branch
from clea_tenants.models import Accreditation, Establishment, Habilitation, TrainingBody

pytestmark = pytest.mark.django_db
TODAY = date.today()
BASE = "/api/federation/register"


def luhn_siret(prefix13: str) -> str:
    """A SIRET python-stdnum accepts: a SIREN with its own key, then the establishment's key."""
    digits = prefix13[:8]
    siren = next(digits + k for k in "0123456789" if _luhn_ok(digits + k))
    return _luhn_complete(siren + prefix13[9:13])


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def establishment_payload(org: Any, prefix: str = "5555555500001", postcode: str = "69003") -> dict[str, Any]:
    return {
        "organisation": org.slug,
        "siret": luhn_siret(prefix),
        "name": "Antenne de Lyon",
        "address": "12 rue Garibaldi",
        "postcode": postcode,
        "city": "Lyon",
    }


def grant_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "programme": "clea",
        "valid_from": str(TODAY - timedelta(days=10)),
        "valid_to": str(TODAY + timedelta(days=700)),
        "qualiopi_number": "QUA-2026-0042",
        "qualiopi_body": "AFNOR Certification",
        "qualiopi_expires_on": str(TODAY + timedelta(days=400)),
    }
    payload.update(overrides)
    return payload


def test_admin_adds_an_establishment_and_grants_it_with_qualiopi(federation_client: Any, org_a: Any) -> None:
    response = federation_client.post(f"{BASE}/establishments/", establishment_payload(org_a), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["department"], body["region"]) == ("69", "84")  # from the postcode
    response = federation_client.post(
        f"{BASE}/establishments/{body['id']}/habilitations/", grant_payload(), format="json"
    )
    assert response.status_code == 201, response.json()
    granted = response.json()
    assert granted["status"] == "granted"
    assert [h["status"] for h in granted["history"]] == ["applied", "granted"]
    assert granted["history"][1]["decided_by_label"] == federation_client.user.email
    assert AuditEntry.objects.filter(
        action="register.habilitation.granted", object_ref=f"habilitation:{granted['id']}"
    ).exists()
    found = federation_client.get(f"{BASE}/accredited-establishments/", {"department": "69"}).json()
    assert [e["siret"] for e in found] == [body["siret"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"siret": "12345678901234"}, "siret"),
        ({"postcode": "6900"}, "postcode"),
        ({"name": ""}, "name"),
        ({"organisation": "inconnu"}, "organisation"),
    ],
)
def test_bad_establishment_input_is_400_with_the_field(
    federation_client: Any, org_a: Any, payload: dict[str, str], field: str
) -> None:
    response = federation_client.post(
        f"{BASE}/establishments/", {**establishment_payload(org_a), **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Establishment.objects.filter(name="Antenne de Lyon").exists()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"valid_to": str(TODAY - timedelta(days=30))}, "accreditation_window_invalid"),
        ({"qualiopi_expires_on": str(TODAY - timedelta(days=30))}, "qualiopi_expired"),
        ({"qualiopi_number": ""}, "validation_error"),
        ({"programme": "bac"}, "validation_error"),
        ({"branch": "inconnue"}, "validation_error"),
    ],
)
def test_bad_habilitation_input_is_400(federation_client: Any, org_a: Any, payload: dict[str, str], code: str) -> None:
    establishment = federation_client.post(
        f"{BASE}/establishments/", establishment_payload(org_a), format="json"
    ).json()
    response = federation_client.post(
        f"{BASE}/establishments/{establishment['id']}/habilitations/", grant_payload(**payload), format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert not Habilitation.objects.filter(establishment_id=establishment["id"]).exists()


def test_analyst_reads_but_never_writes(api_client_for: Any, org_a: Any) -> None:
    analyst = api_client_for(None, "analyst")
    assert analyst.get(f"{BASE}/establishments/").status_code == 200
    assert analyst.get(f"{BASE}/training-bodies/").status_code == 200
    assert analyst.post(f"{BASE}/establishments/", establishment_payload(org_a), format="json").status_code == 403
    assert (
        analyst.post(
            f"{BASE}/training-bodies/",
            {"name": "X", "siret": luhn_siret("7777777700001"), "region": "84"},
            format="json",
        ).status_code
        == 403
    )


def test_an_organisation_user_gets_nothing(api_client_for: Any, org_a: Any) -> None:
    admin_a = api_client_for(org_a, "admin")
    assert admin_a.get(f"{BASE}/establishments/").status_code in (403, 404)
    assert admin_a.post(f"{BASE}/training-bodies/", {}, format="json").status_code in (403, 404)


def test_suspension_needs_a_reason_and_stops_evaluations_with_R14(
    federation_client: Any, org_a: Any, api_client_for: Any
) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    opened = walk_to(counsellor, "file_opened")
    habilitations = list(Habilitation.objects.filter(establishment__organisation=org_a))
    assert habilitations
    for habilitation in habilitations:
        response = federation_client.post(
            f"{BASE}/habilitations/{habilitation.pk}/decision/", {"status": "suspended"}, format="json"
        )
        assert response.status_code == 400 and "reason" in response.json()["fields"]
        response = federation_client.post(
            f"{BASE}/habilitations/{habilitation.pk}/decision/",
            {"status": "suspended", "reason": "Contrôle qualité en cours"},
            format="json",
        )
        assert response.status_code == 200, response.json()
    # the branch plugin goes off with its last granted habilitation
    assert not Accreditation.objects.filter(organisation=org_a, revoked_at__isnull=True).exists()
    grant_branch(org_a, "btp")  # the plugin switched back on by hand: R14 still refuses, on its own
    refused = counsellor.post(
        f"/api/files/{opened['id']}/evaluations/", initial_payload(opened["version"], ALL_CRITERIA), format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["rule"] == "R14"
    assert "habilitation" in refused.json()["detail"]
    # lifting the suspension puts the organisation back in force
    for habilitation in habilitations:
        lifted = federation_client.post(
            f"{BASE}/habilitations/{habilitation.pk}/decision/",
            {"status": "granted", "reason": "Contrôle levé", "effective_on": str(TODAY)},
            format="json",
        )
        assert lifted.status_code == 200, lifted.json()
    accepted = counsellor.post(
        f"/api/files/{opened['id']}/evaluations/", initial_payload(opened["version"], ALL_CRITERIA), format="json"
    )
    assert accepted.status_code == 201, accepted.json()


def test_a_withdrawn_habilitation_is_final_and_lists_files_in_progress(
    federation_client: Any, org_a: Any, api_client_for: Any
) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    evaluated = walk_to(counsellor, "evaluated")
    from clea.facts.models import JourneyFact

    file_ref = str(evaluated["id"])  # the journey facts name a file by its id in the organisation
    JourneyFact.objects.create(
        organisation=org_a.slug,
        candidate="00000000-0000-0000-0000-000000000001",
        file_ref=file_ref,
        decision_id=999,
        kind="evaluation",
        from_state="file_opened",
        to_state="evaluated",
        at=timezone.now() - timedelta(days=3),
        region="11",
        referential_id="x",
    )
    habilitation = Habilitation.objects.filter(establishment__organisation=org_a).first()
    assert habilitation is not None
    response = federation_client.post(
        f"{BASE}/habilitations/{habilitation.pk}/decision/",
        {"status": "withdrawn", "reason": "Fraude constatée"},
        format="json",
    )
    assert response.status_code == 200
    again = federation_client.post(
        f"{BASE}/habilitations/{habilitation.pk}/decision/", {"status": "granted", "reason": "x"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "accreditation_transition_conflict"
    worklist = federation_client.get(f"{BASE}/habilitations/ended-with-files/").json()
    assert [row["habilitation"]["id"] for row in worklist] == [habilitation.pk]
    assert [f["file_ref"] for f in worklist[0]["files"]] == [file_ref]


def test_renewal_extends_the_window(federation_client: Any, org_a: Any) -> None:
    establishment = federation_client.post(
        f"{BASE}/establishments/", establishment_payload(org_a), format="json"
    ).json()
    granted = federation_client.post(
        f"{BASE}/establishments/{establishment['id']}/habilitations/", grant_payload(), format="json"
    ).json()
    renewal = {
        "valid_to": str(TODAY + timedelta(days=1500)),
        "qualiopi_number": "QUA-2029-1",
        "qualiopi_body": "Bureau Veritas",
        "qualiopi_expires_on": str(TODAY + timedelta(days=1400)),
    }
    response = federation_client.post(f"{BASE}/habilitations/{granted['id']}/renew/", renewal, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["valid_to"] == renewal["valid_to"]
    assert response.json()["history"][-1]["reason"] == "Renouvellement"
    shorter = federation_client.post(
        f"{BASE}/habilitations/{granted['id']}/renew/", {**renewal, "valid_to": str(TODAY)}, format="json"
    )
    assert shorter.status_code == 400 and "valid_to" in shorter.json()["fields"]
    same = federation_client.post(f"{BASE}/habilitations/{granted['id']}/renew/", renewal, format="json")
    assert same.status_code == 400  # nothing renewed
    qualiopi_only = {**renewal, "qualiopi_number": "QUA-2031-2", "qualiopi_expires_on": renewal["valid_to"]}
    renewed = federation_client.post(f"{BASE}/habilitations/{granted['id']}/renew/", qualiopi_only, format="json")
    assert renewed.status_code == 200 and renewed.json()["qualiopi_number"] == "QUA-2031-2"


def test_training_bodies_register_and_bad_input(federation_client: Any) -> None:
    payload = {"name": "GRETA Lyon", "siret": luhn_siret("8888888800001"), "region": "84"}
    response = federation_client.post(f"{BASE}/training-bodies/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["identity"] == f"training-body:{response.json()['id']}"
    duplicate = federation_client.post(f"{BASE}/training-bodies/", payload, format="json")
    assert duplicate.status_code == 400 and "siret" in duplicate.json()["fields"]
    bad = federation_client.post(f"{BASE}/training-bodies/", {**payload, "region": "99"}, format="json")
    assert bad.status_code == 400
    found = federation_client.get(f"{BASE}/training-bodies/", {"q": "greta lyon"}).json()
    assert [b["name"] for b in found["results"]] == ["GRETA Lyon"]
    assert TrainingBody.objects.get(pk=response.json()["id"]).name_key == "greta lyon"


def test_find_establishments_only_lists_habilitations_in_force(org_a: Any, org_b: Any) -> None:
    slugs = {e.organisation.slug for e in services.find_establishments()}
    assert {org_a.slug, org_b.slug} <= slugs
    assert org_a.slug in {e.organisation.slug for e in services.find_establishments(branch="btp")}
    assert org_b.slug not in {e.organisation.slug for e in services.find_establishments(branch="btp")}
    assert services.find_establishments(region="84") == []  # both test organisations are in Île-de-France
