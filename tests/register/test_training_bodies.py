"""Training bodies (#15 §2): paths name the register's body, free text is matched, R11 compares identities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.api.journey_helpers import sessions_for, walk_to
from tests.certification.conftest import JuryFixture
from tests.fixtures.tenants import make_user
from tests.register.test_register_api import luhn_siret

from clea.certification import sessions
from clea.certification.models import JurySubmission
from clea.journey.models import TrainingPathRecord
from clea.kernel.errors import DomainError
from clea.register.matching import match_all
from clea_tenants import training_bodies
from clea_tenants.models import UnmatchedTrainingName

pytestmark = pytest.mark.django_db


def propose(client: Any, org: Any, organisation_name: str) -> dict[str, Any]:
    evaluated = walk_to(client, "evaluated")
    trainer = make_user(org.schema_name, "trainer")
    payload = {
        "version": evaluated["version"],
        "trainer_id": trainer.pk,
        "training_organisation": organisation_name,
        "sessions": sessions_for(("3.1", "7.2")),
    }
    response = client.post(f"/api/files/{evaluated['id']}/training-path/", payload, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_a_path_names_the_registers_body_whatever_the_spelling(org_a: Any, api_client_for: Any) -> None:
    training_bodies.create("GRETA Lyon", luhn_siret("6666666600001"), "84")
    propose(api_client_for(org_a, "counsellor"), org_a, "greta   lyon")
    with schema_context(org_a.schema_name):
        assert TrainingPathRecord.objects.order_by("-pk").values_list("training_organisation", flat=True)[0] == (
            "GRETA Lyon"
        )


def test_free_text_is_matched_and_the_rest_listed_for_the_federation(org_a: Any, api_client_for: Any) -> None:
    propose(api_client_for(org_a, "counsellor"), org_a, "Atelier Savoirs de Base")
    with schema_context(org_a.schema_name):
        path_id = TrainingPathRecord.objects.order_by("-pk").values_list("pk", flat=True)[0]
    report = match_all()
    assert (org_a.slug, path_id, "Atelier Savoirs de Base") in report.unmatched
    assert UnmatchedTrainingName.objects.filter(schema_name=org_a.schema_name, path_id=path_id).exists()
    training_bodies.create("ATELIER SAVOIRS DE BASE", luhn_siret("6666666700001"), "11")
    report = match_all()
    assert (org_a.slug, path_id, "Atelier Savoirs de Base") not in report.unmatched
    with schema_context(org_a.schema_name):
        assert TrainingPathRecord.objects.get(pk=path_id).training_organisation == "ATELIER SAVOIRS DE BASE"


def test_r11_refuses_a_member_linked_to_the_body_that_trained_whatever_the_spelling(
    jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    submission = submit_file(org_a)
    submission.snapshot["training_organisations"] = ["Greta Lyon"]  # typed on the path before the register
    submission.save(update_fields=["snapshot"])
    greta = training_bodies.create("GRETA Lyon", luhn_siret("6666666800001"), "84")
    other = training_bodies.create("GRETA Grenoble", luhn_siret("6666666900001"), "84")
    linked, unrelated = jury.employees[0], jury.employees[1]
    linked.training_bodies.add(greta)
    unrelated.training_bodies.add(other)
    sessions.check_members_independent([unrelated], [submission])
    with pytest.raises(DomainError) as refused:
        sessions.check_members_independent([linked], [submission])
    assert refused.value.code == "jury_conflict_of_interest" and refused.value.rule == "R11"
    assert "Greta Lyon" in refused.value.message_fr


def test_an_organisation_that_trains_is_a_training_body_too(
    org_a: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission]
) -> None:
    submission = submit_file(org_a)
    submission.snapshot["training_organisations"] = [org_a.name.upper()]
    submission.save(update_fields=["snapshot"])
    body = training_bodies.match_name(org_a.name.lower())
    assert body is not None and body.organisation == org_a
    member = jury.employers[0]
    member.training_bodies.add(body)
    with pytest.raises(DomainError):
        sessions.check_members_independent([member], [submission])


def test_the_jury_member_api_links_members_to_training_bodies(federation_client: Any) -> None:
    body = training_bodies.create("GRETA Lyon", luhn_siret("6767676700001"), "84")
    payload = {"first_name": "Ana", "last_name": "Lopez", "college": "employee", "training_bodies": [body.pk]}
    response = federation_client.post("/api/federation/jury-members/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["training_bodies"] == [body.pk]
    unknown = federation_client.post(
        "/api/federation/jury-members/", {**payload, "training_bodies": [999999]}, format="json"
    )
    assert unknown.status_code == 400 and "training_bodies" in unknown.json()["fields"]
