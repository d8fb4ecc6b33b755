"""Issue 17 §5: what integrators need — who am I, the staff directory, transfers by slug, R10 named."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.journey_helpers import walk_to
from tests.fixtures.tenants import make_user

pytestmark = pytest.mark.django_db


def test_me_gives_id_roles_and_organisation(org_a: Any, api_client_for: Any, federation_client: Any) -> None:
    client = api_client_for(org_a, "counsellor")
    body = client.get("/api/me/").json()
    assert body["id"] == client.user.pk and body["roles"] == ["counsellor"] and body["organisation"] == org_a.slug
    federation = federation_client.get("/api/me/").json()
    assert federation["organisation"] is None and federation["roles"] == ["federation_admin"]


def test_staff_directory_by_role_and_tenant_isolation(org_a: Any, org_b: Any, api_client_for: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    other_trainer = make_user(org_b.schema_name, "trainer")
    trainers = counsellor.get("/api/staff/?role=trainer").json()
    ids = {row["id"] for row in trainers["results"]}
    assert trainer.pk in ids and all(row["role"] in ("trainer", "admin", "counsellor") for row in trainers["results"])
    evaluators = counsellor.get("/api/staff/?role=evaluator").json()["results"]
    assert counsellor.user.pk in {row["id"] for row in evaluators}
    assert all(row["role"] in ("admin", "counsellor") for row in evaluators)
    refused = counsellor.get("/api/staff/?role=jury")
    assert refused.status_code == 400 and "role" in refused.json()["fields"]
    assert api_client_for(org_a, "trainer").get("/api/staff/").status_code == 403
    assert api_client_for(org_a, "candidate").get("/api/staff/").status_code == 403
    in_b = api_client_for(org_b, "counsellor").get("/api/staff/?role=trainer").json()["results"]
    assert trainer.pk not in {r["id"] for r in in_b} or other_trainer.pk in {r["id"] for r in in_b}
    assert {r["username"] for r in in_b}.isdisjoint({trainer.username})


def test_a_trainer_id_from_the_directory_is_accepted(org_a: Any, api_client_for: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    listed = counsellor.get("/api/staff/?role=trainer").json()["results"]
    chosen = next(row["id"] for row in listed if row["id"] == trainer.pk)
    assert walk_to(counsellor, "training", trainer_id=chosen)["state"] == "training"


def test_transfer_names_its_target_by_slug(org_a: Any, org_b: Any, api_client_for: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    body = walk_to(counsellor, "evaluated")
    response = counsellor.post(
        f"/api/files/{body['id']}/transfer/",
        {"version": body["version"], "target_organisation": org_b.slug, "consent": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    unknown = counsellor.post(
        f"/api/files/{body['id']}/transfer/",
        {"version": body["version"], "target_organisation": "nowhere", "consent": True},
        format="json",
    )
    assert unknown.status_code in (400, 409) and unknown.json()["rule"] == "R2"


def test_submitting_a_file_that_is_not_ready_names_r10(org_a: Any, api_client_for: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    body = walk_to(counsellor, "evaluated")
    response = counsellor.post(f"/api/files/{body['id']}/submit/", {"version": body["version"]}, format="json")
    assert response.status_code == 409 and response.json()["rule"] == "R10", response.json()


# --- §4: bad input refused, nothing stored ---------------------------------------------------------------


@pytest.mark.parametrize("birth_date", ["1800-01-01", "2999-01-01", "0098-01-01"])
def test_implausible_birth_dates_are_refused(org_a: Any, api_client_for: Any, birth_date: str) -> None:
    from django_tenants.utils import schema_context

    from clea.journey.models import Candidate

    client = api_client_for(org_a, "counsellor")
    with schema_context(org_a.schema_name):
        before = Candidate.objects.count()
    response = client.post(
        "/api/candidates/", {"first_name": "A", "last_name": "B", "birth_date": birth_date}, format="json"
    )
    assert response.status_code == 400 and "birth_date" in response.json()["fields"], response.json()
    nested = client.post(
        "/api/files/",
        {"candidate": {"first_name": "A", "last_name": "B", "birth_date": birth_date}},
        format="json",
    )
    assert nested.status_code == 400 and "candidate.birth_date" in nested.json()["fields"], nested.json()
    with schema_context(org_a.schema_name):
        assert Candidate.objects.count() == before


def test_unknown_body_fields_are_refused_by_name(org_a: Any, api_client_for: Any) -> None:
    client = api_client_for(org_a, "counsellor")
    response = client.post(
        "/api/candidates/", {"first_name": "A", "last_name": "B", "mastered": ["1.1"]}, format="json"
    )
    assert response.status_code == 400 and response.json()["fields"] == {"mastered": ["Champ inconnu."]}


@pytest.mark.parametrize("starts_at", ["0137-01-01T09:00:00Z", "2999-01-01T09:00:00Z", "1990-01-01T09:00:00Z"])
def test_implausible_jury_session_dates_are_refused(federation_client: Any, starts_at: str) -> None:
    jury = federation_client.post("/api/federation/juries/", {"name": "Jury", "region": "11"}, format="json")
    assert jury.status_code == 201, jury.json()
    response = federation_client.post(
        "/api/federation/jury-sessions/", {"jury": jury.json()["id"], "starts_at": starts_at}, format="json"
    )
    assert response.status_code == 400 and "starts_at" in response.json()["fields"], response.json()
