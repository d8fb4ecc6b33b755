"""Recording an evaluation: the modality names an accredited branch, the branch's rules apply (R3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.api.journey_helpers import (
    ALL_CRITERIA,
    REFERENTIAL,
    all_but,
    final_payload,
    initial_payload,
    walk_to,
)
from tests.plugins_platform.fake_plugins import InstallFake

from clea.journey.models import Candidate, DecisionRecord, EvaluationRecord
from clea_tenants.accreditations import grant, revoke

pytestmark = pytest.mark.django_db

Counts = Callable[[Any], dict[str, int]]


def evaluations_url(body: dict[str, Any]) -> str:
    return f"/api/files/{body['id']}/evaluations/"


def criteria_of(*subdomains: str) -> list[str]:
    return [c for c in ALL_CRITERIA if REFERENTIAL.subdomain_of_criterion[c] in subdomains]


def test_a_branch_code_of_an_accredited_branch_is_recorded_with_its_warnings(counsellor_a: Any) -> None:
    body = walk_to(counsellor_a, "file_opened")
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, "btp"), format="json"
    )
    assert response.status_code == 201, response.json()
    file = response.json()
    assert file["evaluations"][-1]["modality"] == "btp"
    detail = file["decisions"][-1]["detail"]
    assert detail["branch"] == "btp" and detail["modality"] == "btp"
    # BTP warns (does not refuse) when first aid (7.3) is acquired without evidence: kept for the jury
    assert "[btp.first_aid_evidence]" in detail["branch_warnings"]


@pytest.mark.parametrize("modality", ["proprete", "transport_logistique", "boulangerie", "proprete:1.1:entretien"])
def test_a_branch_the_organisation_is_not_accredited_for_is_refused(
    counsellor_a: Any, org_a: Any, row_counts: Counts, modality: str
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    before = row_counts(org_a)
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, modality), format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "modality_not_accredited", response.json()
    assert response.json()["rule"] == "R3" and "btp" in response.json()["detail"]  # the accredited branches
    assert modality.split(":")[0] in response.json()["detail"]
    assert row_counts(org_a) == before


def test_modality_keys_must_exist_and_belong_to_one_branch(
    counsellor_a: Any, trainer_a: Any, org_a: Any, row_counts: Counts
) -> None:
    grant(org_a, "proprete")
    body = walk_to(counsellor_a, "training", missing=("7.2",), trainer_id=trainer_a.pk, modality="btp")
    before = row_counts(org_a)
    scope = criteria_of("7.2")
    for modality, code in (
        ("btp:7.2:oral", "modality_unknown"),  # not a method
        ("btp:9.9:observation_en_situation_de_travail", "modality_unknown"),  # not a sub-domain
        ("btp:7.2:observation_en_situation_de_travail,proprete:7.2:entretien", "modality_mixed_branches"),
    ):
        response = counsellor_a.post(
            evaluations_url(body), final_payload(body["version"], scope, scope, modality), format="json"
        )
        assert response.status_code == 400 and response.json()["code"] == code, response.json()
    assert row_counts(org_a) == before


def test_a_modality_key_is_recorded_as_given(counsellor_a: Any, trainer_a: Any) -> None:
    body = walk_to(counsellor_a, "training", missing=("7.2",), trainer_id=trainer_a.pk)
    scope = criteria_of("7.2")
    key = "btp:7.2:observation_en_situation_de_travail"
    response = counsellor_a.post(
        evaluations_url(body), final_payload(body["version"], scope, scope, key), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evaluations"][-1]["modality"] == key


def test_a_branch_rule_on_the_method_fires_in_the_platform(
    counsellor_a: Any, trainer_a: Any, org_a: Any, row_counts: Counts
) -> None:
    """BTP's catalogue observes 7.2 at work; an evaluator who interviewed instead says so, and BTP's rule on
    the method refuses it (not an "unknown modality": the method used reaches clea_validate_evaluation)."""
    body = walk_to(counsellor_a, "training", missing=("7.2",), trainer_id=trainer_a.pk)
    before = row_counts(org_a)
    scope = criteria_of("7.2")
    response = counsellor_a.post(
        evaluations_url(body), final_payload(body["version"], scope, scope, "btp:7.2:entretien"), format="json"
    )
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "branch_rule" and error["branch"] == "btp"
    assert [(i["code"], i["subdomain"]) for i in error["issues"]] == [("btp.domain7_real_situation", "7.2")]
    assert "Entretien" in error["issues"][0]["detail"]
    assert row_counts(org_a) == before


def test_a_branch_rule_violation_is_400_naming_the_branch_and_writes_nothing(
    counsellor_a: Any, trainer_a: Any, org_a: Any, row_counts: Counts
) -> None:
    body = walk_to(counsellor_a, "training", missing=("7.2",), trainer_id=trainer_a.pk)
    before = row_counts(org_a)
    scope = criteria_of("7.2")
    # a real BTP modality, but for another sub-domain: 7.2 would be evaluated without any declared modality
    wrong = "btp:1.1:mise_en_situation_professionnelle"
    response = counsellor_a.post(
        evaluations_url(body), final_payload(body["version"], scope, scope, wrong), format="json"
    )
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "branch_rule" and error["branch"] == "btp"
    assert "« btp »" in error["detail"] and "7.2" in error["detail"]
    assert {issue["code"] for issue in error["issues"]} >= {"btp.no_modality"}
    assert all(issue["branch"] == "btp" and issue["detail"] for issue in error["issues"])
    assert row_counts(org_a) == before


def test_without_any_accreditation_no_evaluation_can_be_recorded(
    counsellor_a: Any, org_a: Any, row_counts: Counts
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    revoke(org_a, "btp")
    before = row_counts(org_a)
    for modality in ("", "btp"):
        response = counsellor_a.post(
            evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, modality), format="json"
        )
        assert response.status_code == 400 and response.json()["code"] == "no_accredited_branch", response.json()
    assert row_counts(org_a) == before


def test_an_empty_modality_uses_the_only_accredited_branch_and_is_required_with_several(
    counsellor_a: Any, org_a: Any
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, ""), format="json"
    )
    assert response.status_code == 201 and response.json()["evaluations"][-1]["modality"] == "btp"

    grant(org_a, "proprete")
    body = walk_to(counsellor_a, "file_opened")
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, ""), format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "modality_required"
    assert "btp, proprete" in response.json()["detail"]
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, "proprete"), format="json"
    )
    assert response.status_code == 201 and response.json()["decisions"][-1]["detail"]["branch"] == "proprete"


@pytest.mark.parametrize("branch", ["btp", "proprete", "transport_logistique"])
def test_every_installed_branch_accepts_a_complete_initial_evaluation(
    counsellor_a: Any, org_a: Any, branch: str
) -> None:
    """What the demo does: each organisation records its évaluations préalables with its branch's code."""
    if branch != "btp":
        grant(org_a, branch)
        revoke(org_a, "btp")
    body = walk_to(counsellor_a, "file_opened")
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], all_but("3.1"), branch), format="json"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("hook", ["clea_validate_evaluation", "clea_evaluation_modalities"])
def test_a_plugin_raising_in_a_hook_gives_502_naming_it_and_writes_nothing(
    counsellor_a: Any, org_a: Any, install_fake: InstallFake, row_counts: Counts, hook: str
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    install_fake("faulty", raise_in=(hook,))
    before = row_counts(org_a)
    response = counsellor_a.post(
        evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, "faulty"), format="json"
    )
    assert response.status_code == 502, response.json()
    error = response.json()
    assert error["code"] == "plugin_error" and error["plugin"] == "faulty" and error["hook"] == hook
    assert "« faulty »" in error["detail"]
    assert "Traceback" not in str(error)
    assert row_counts(org_a) == before
    with schema_context(org_a.schema_name):
        assert not EvaluationRecord.objects.filter(file_id=body["id"]).exists()


def test_a_plugin_raising_in_journey_event_rolls_the_decision_back(
    counsellor_a: Any, org_a: Any, install_fake: InstallFake, row_counts: Counts
) -> None:
    body = walk_to(counsellor_a, "referred")
    install_fake("faulty", raise_in=("clea_journey_event",), raise_on_kinds=("file_opened",))
    before = row_counts(org_a)
    response = counsellor_a.post(
        f"/api/files/{body['id']}/open/",
        {"version": body["version"], "consent": True, "consent_purpose": "Certification CléA"},
        format="json",
    )
    assert response.status_code == 502, response.json()
    assert response.json()["plugin"] == "faulty" and response.json()["hook"] == "clea_journey_event"
    assert row_counts(org_a) == before
    file = counsellor_a.get(f"/api/files/{body['id']}/").json()
    assert file["state"] == "referred" and file["version"] == body["version"]
    with schema_context(org_a.schema_name):
        assert list(DecisionRecord.objects.filter(file_id=body["id"]).values_list("kind", flat=True)) == ["welcomed"]


def test_hook_clea_journey_event_is_called_with_kernel_types_for_accredited_organisations_only(
    counsellor_a: Any, counsellor_b: Any, org_a: Any, install_fake: InstallFake
) -> None:
    from clea.kernel.journey import Decision, DecisionKind, FileState

    recorder = install_fake("recorder")
    walk_to(counsellor_b, "evaluated", modality="proprete")  # org B is not accredited for "recorder"
    assert recorder.events == []
    body = walk_to(counsellor_a, "file_opened")
    counsellor_a.post(evaluations_url(body), initial_payload(body["version"], ALL_CRITERIA, "recorder"), format="json")
    kinds = [decision.kind for decision, _ in recorder.events]
    assert kinds == [DecisionKind.WELCOMED, DecisionKind.FILE_OPENED, DecisionKind.INITIAL_EVALUATION]
    for decision, organisation in recorder.events:
        assert type(decision) is Decision and isinstance(decision.to_state, FileState)
        assert organisation == org_a.slug  # the slug, as in URLs; not the schema name
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in decision.detail.items())
    assert recorder.events[-1][0].detail["branch"] == "recorder"


def test_a_failed_welcome_leaves_no_candidate_without_a_file(
    counsellor_a: Any, org_a: Any, install_fake: InstallFake, row_counts: Counts
) -> None:
    """#18 §3: the API creates the person and records the welcome in one transaction (as the web form does)."""
    install_fake("faulty", raise_in=("clea_journey_event",), raise_on_kinds=("welcomed",))
    before = row_counts(org_a)
    with schema_context(org_a.schema_name):
        candidates_before = Candidate.objects.count()
    response = counsellor_a.post(
        "/api/files/", {"candidate": {"first_name": "Léa", "last_name": "Orpheline"}}, format="json"
    )
    assert response.status_code == 502, response.json()
    assert row_counts(org_a) == before
    with schema_context(org_a.schema_name):
        assert Candidate.objects.count() == candidates_before
        assert not Candidate.objects.filter(last_name="Orpheline").exists()


def test_a_plugin_gets_slow_work_done_through_the_decisions_outbox(
    counsellor_a: Any, org_a: Any, install_fake: InstallFake
) -> None:
    """``enqueue`` records the task by name in the outbox of the decision's transaction, for its schema."""
    from clea.outbox.models import OutboxMessage

    install_fake("recorder", enqueue_task="clea_branch_recorder.tasks.follow_up")
    walk_to(counsellor_a, "file_opened")
    rows = OutboxMessage.objects.filter(task_name="clea_branch_recorder.tasks.follow_up").order_by("id")
    assert [(row.args, row.kwargs, row.schema_name) for row in rows] == [
        (["welcomed", org_a.slug], {}, org_a.schema_name),
        (["file_opened", org_a.slug], {}, org_a.schema_name),
    ]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x06\x00\x00\x00" + b"\x00" * 36


def test_evidence_reaches_the_branch_rules_with_its_kind(counsellor_a: Any, install_fake: InstallFake) -> None:
    """A plugin can tell an inventory sheet (a document) from a photo: ``evaluation.evidence_items``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clea.kernel.evidence import EvidenceRef

    recorder = install_fake("recorder")
    body = walk_to(counsellor_a, "file_opened")
    uploaded = {}
    for title, name, content in (("Fiche d'inventaire", "inventaire.pdf", PDF), ("Photo du rayon", "rayon.png", PNG)):
        upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        response = counsellor_a.post(
            f"/api/files/{body['id']}/evidence/", {"content": upload, "title": title, "criterion": "2.1.1"}
        )
        assert response.status_code == 201, response.json()
        uploaded[title] = response.json()["uid"]
    payload = initial_payload(counsellor_a.get(f"/api/files/{body['id']}/").json()["version"], ALL_CRITERIA, "recorder")
    for result in payload["results"]:
        if result["criterion"] == "2.1.1":
            result["evidence"] = list(uploaded.values())
    response = counsellor_a.post(evaluations_url(body), payload, format="json")
    assert response.status_code == 201, response.json()
    (evaluation,) = recorder.evaluations
    assert evaluation.evidence_items == (
        EvidenceRef(uploaded["Fiche d'inventaire"], "document", "application/pdf", "Fiche d'inventaire", "2.1.1"),
        EvidenceRef(uploaded["Photo du rayon"], "photo", "image/png", "Photo du rayon", "2.1.1"),
    )


def _observation(org: Any, file_reference: str) -> str:
    from clea_branch_btp.observations.models import WorkSituationObservation

    with schema_context(org.schema_name):
        observation = WorkSituationObservation.objects.create(
            file_reference=file_reference,
            subdomain="7.3",
            observed_on=date(2026, 3, 4),
            site="Chantier Confluence",
            observer="Éric Évalue",
        )
    return observation.evidence_reference


def test_an_evaluation_cites_the_branch_records_of_its_own_file_only(
    counsellor_a: Any, org_a: Any, row_counts: Counts
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    own = _observation(org_a, str(body["id"]))
    elsewhere = _observation(org_a, str(body["id"] + 1000))
    payload = initial_payload(body["version"], ALL_CRITERIA, "btp")
    first_aid = [r for r in payload["results"] if REFERENTIAL.subdomain_of_criterion[r["criterion"]] == "7.3"]

    first_aid[0]["evidence"] = [own, elsewhere, "obs-btp:999999", "inconnu:1"]
    before = row_counts(org_a)
    response = counsellor_a.post(evaluations_url(body), payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_evidence", response.json()
    detail = response.json()["detail"]
    assert elsewhere in detail and "obs-btp:999999" in detail and "inconnu:1" in detail and own not in detail
    assert row_counts(org_a) == before

    for result in first_aid:
        result["evidence"] = [own]
    response = counsellor_a.post(evaluations_url(body), payload, format="json")
    assert response.status_code == 201, response.json()
    # the record cited counts as first-aid evidence: BTP no longer warns about 7.3
    assert "[btp.first_aid_evidence]" not in response.json()["decisions"][-1]["detail"].get("branch_warnings", "")
