"""R11 (paritaire composition, independence, quorum) and R12 (certify / refuse with reasons / adjourn) through
the federation's API; roles; minutes approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from tests.certification.conftest import JuryFixture, assign, new_member, plan_session, tenant_client

from clea.certification.models import (
    Certificate,
    College,
    JurySession,
    JurySubmission,
    SessionDecision,
    SubmissionStatus,
)
from clea.kernel.jury import is_valid_certificate_number

pytestmark = [pytest.mark.db]


def deliberate(client: Any, session: JurySession, present: list[Any], decisions: list[dict[str, Any]]) -> Any:
    return client.post(
        f"/api/federation/jury-sessions/{session.pk}/deliberate/",
        {"present": [m.pk for m in present], "decisions": decisions},
        format="json",
    )


# --- R11: composition -----------------------------------------------------------------------------------


def test_convening_requires_paritaire_colleges(federation_client: Any, jury: JuryFixture) -> None:
    session = plan_session(federation_client, jury)
    url = f"/api/federation/jury-sessions/{session.pk}/convene/"

    unequal = federation_client.post(url, {"members": [m.pk for m in [*jury.employers[:2], jury.employees[0]]]})
    assert unequal.status_code == 400
    assert unequal.json()["code"] == "jury_not_paritaire"
    assert unequal.json()["rule"] == "R11"

    one_college = federation_client.post(url, {"members": [m.pk for m in jury.employers[:2]]}, format="json")
    assert one_college.status_code == 400
    assert one_college.json()["code"] == "jury_college_missing"

    # nothing changed: the 2 + 2 convened first are still convened
    assert sorted(session.convened.values_list("pk", flat=True)) == sorted(
        m.pk for m in [*jury.employers[:2], *jury.employees[:2]]
    )


def test_assigning_files_refused_while_the_convened_members_are_not_paritaire(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury)
    session.convened.remove(jury.employees[1])  # e.g. a member withdrew: 2 employers, 1 employee
    submission = submit_file(org_a)
    response = federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/assign/", {"submissions": [submission.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "jury_not_paritaire"
    submission.refresh_from_db()
    assert submission.session_id is None


# --- R11: independence ----------------------------------------------------------------------------------


def test_conflict_of_interest_names_the_member_and_the_organisation(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any, org_b: Any
) -> None:
    linked = jury.employees[0]
    linked.organisations.set([org_a])  # e.g. sits on org A's board
    session = plan_session(federation_client, jury)
    clean = submit_file(org_b)
    conflicted = submit_file(org_a)
    url = f"/api/federation/jury-sessions/{session.pk}/assign/"

    assert federation_client.post(url, {"submissions": [clean.pk]}, format="json").status_code == 200
    response = federation_client.post(url, {"submissions": [conflicted.pk]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "jury_conflict_of_interest"
    assert body["rule"] == "R11"
    assert linked.name in body["detail"]
    assert org_a.name in body["detail"]
    assert body["member"] == {"id": linked.pk, "name": linked.name}
    assert org_a.slug in body["organisation"]
    conflicted.refresh_from_db()
    assert conflicted.session_id is None

    # and a member linked to an organisation on the session cannot be convened afterwards
    other = jury.employers[2]
    other.organisations.set([org_b])
    convene = federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/convene/",
        {"members": [other.pk, jury.employers[1].pk, jury.employees[1].pk, jury.employees[2].pk]},
        format="json",
    )
    assert convene.status_code == 400
    assert convene.json()["member"]["name"] == other.name


def test_a_training_organisation_counts_too(jury: JuryFixture, org_a: Any) -> None:
    """The snapshot names the training organisation as typed on the path: a member linked by name conflicts."""
    from clea.certification import sessions
    from clea.kernel.errors import DomainError

    member = new_member("Tom", "Tiers", College.EMPLOYER, organisations=(org_a,))
    submission = JurySubmission(
        organisation=org_a,
        file_ref="999",
        snapshot={
            "file_ref": "999",
            "candidate_name": "Léa Martin",
            "referential_id": "CLEA@x",
            "domains_mastered": ["1"],
            "domains_total": ["1"],
            "evaluating_organisations": ["org_elsewhere"],
            "training_organisations": [org_a.name],
        },
    )
    with pytest.raises(DomainError) as refused:
        sessions.check_members_independent([member], [submission])
    assert refused.value.code == "jury_conflict_of_interest"
    assert org_a.name in refused.value.message_fr


# --- R11: quorum at deliberation ------------------------------------------------------------------------


def test_deliberation_needs_a_paritaire_quorum_of_convened_members(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury, jury.members)  # 3 + 3 convened
    submission = submit_file(org_a)
    assign(federation_client, session, submission)
    chair = jury.client(jury.employers[0])
    certify = [{"submission": submission.pk, "outcome": "certified"}]

    two = deliberate(chair, session, [jury.employers[0], jury.employees[0]], certify)  # 2 of 6
    assert two.status_code == 400
    assert (two.json()["code"], two.json()["rule"]) == ("jury_no_quorum", "R11")

    unequal = deliberate(chair, session, [*jury.employers[:2], jury.employees[0]], certify)
    assert unequal.status_code == 400
    assert unequal.json()["code"] == "jury_not_paritaire"

    one_college = deliberate(chair, session, jury.employers, certify)
    assert one_college.status_code == 400
    assert one_college.json()["code"] == "jury_college_missing"

    outsider = new_member("Oscar", "Horslaliste", College.EMPLOYEE)
    stranger = deliberate(chair, session, [*jury.employers, *jury.employees[:2], outsider], certify)
    assert stranger.status_code == 400
    assert stranger.json()["code"] == "jury_member_not_convened"
    assert outsider.name in stranger.json()["detail"]

    assert not SessionDecision.objects.exists()
    assert not Certificate.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING

    quorum = deliberate(chair, session, [*jury.employers[:2], *jury.employees[:2]], certify)
    assert quorum.status_code == 200, quorum.json()


# --- R12: decisions -------------------------------------------------------------------------------------


def test_certify_refuse_with_reasons_adjourn(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury)
    certified, refused, adjourned = (submit_file(org_a, name) for name in ("Un", "Deux", "Trois"))
    ids = [certified.pk, refused.pk, adjourned.pk]
    federation_client.post(f"/api/federation/jury-sessions/{session.pk}/assign/", {"submissions": ids}, format="json")
    chair = jury.client(jury.employees[0])
    present = [*jury.employers[:2], *jury.employees[:2]]

    no_reasons = deliberate(chair, session, present, [{"submission": refused.pk, "outcome": "refused"}])
    assert no_reasons.status_code == 400
    assert (no_reasons.json()["code"], no_reasons.json()["rule"]) == ("reasons_required", "R12")

    response = deliberate(
        chair,
        session,
        present,
        [
            {"submission": certified.pk, "outcome": "certified"},
            {"submission": refused.pk, "outcome": "refused", "reasons": "Preuves insuffisantes pour le domaine 3."},
            {"submission": adjourned.pk, "outcome": "adjourned", "reasons": "Entretien complémentaire demandé."},
        ],
    )
    assert response.status_code == 200, response.json()
    by_id = {d["submission"]: d for d in response.json()}
    assert is_valid_certificate_number(by_id[certified.pk]["certificate_number"])
    assert by_id[refused.pk]["certificate_number"] == ""
    assert sorted(by_id[certified.pk]["members_present"]) == sorted(m.pk for m in present)

    for submission in (certified, refused, adjourned):
        submission.refresh_from_db()
    assert (certified.status, refused.status, adjourned.status) == ("certified", "refused", "adjourned")
    assert refused.reasons == "Preuves insuffisantes pour le domaine 3."
    assert certified.decided_at is not None
    assert Certificate.objects.count() == 1  # a certificate only for the certified file
    certificate = Certificate.objects.get()
    assert certificate.number == certified.certificate_number == by_id[certified.pk]["certificate_number"]
    assert certificate.candidate_name == certified.candidate_name
    session.refresh_from_db()
    assert session.status == "held"

    # a file is decided once per session; an adjourned file goes to a later session
    again = deliberate(chair, session, present, [{"submission": certified.pk, "outcome": "refused", "reasons": "x"}])
    assert again.status_code == 409
    later = plan_session(federation_client, jury)
    moved = federation_client.post(
        f"/api/federation/jury-sessions/{later.pk}/assign/", {"submissions": [adjourned.pk]}, format="json"
    )
    assert moved.status_code == 200
    decided = federation_client.post(
        f"/api/federation/jury-sessions/{later.pk}/assign/", {"submissions": [refused.pk]}, format="json"
    )
    assert decided.status_code == 409


def test_certify_only_when_r10_holds(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury)
    submission = submit_file(org_a)
    assign(federation_client, session, submission)
    snapshot = dict(submission.snapshot)
    snapshot["domains_mastered"] = snapshot["domains_mastered"][:-1]  # a snapshot missing a domain
    JurySubmission.objects.filter(pk=submission.pk).update(snapshot=snapshot)
    response = deliberate(
        jury.client(jury.employers[0]),
        session,
        [jury.employers[0], jury.employees[0]],
        [{"submission": submission.pk, "outcome": "certified"}],
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("not_ready_for_jury", "R10")
    assert not Certificate.objects.exists()


def test_certificate_numbers_are_sequential_and_unique(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury)
    files = [submit_file(org_a, f"Nom{i}") for i in range(3)]
    federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/assign/",
        {"submissions": [f.pk for f in files]},
        format="json",
    )
    response = deliberate(
        jury.client(jury.employers[0]),
        session,
        [jury.employers[0], jury.employees[0]],
        [{"submission": f.pk, "outcome": "certified"} for f in files],
    )
    numbers = [d["certificate_number"] for d in response.json()]
    sequences = [int(n.split("-")[2]) for n in numbers]
    assert len(set(numbers)) == 3
    assert sequences == list(range(sequences[0], sequences[0] + 3))
    assert sorted(Certificate.objects.values_list("status_list_index", flat=True)) == sorted(
        set(Certificate.objects.values_list("status_list_index", flat=True))
    )


# --- minutes --------------------------------------------------------------------------------------------


def test_minutes_final_once_every_present_member_approved(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    session = plan_session(federation_client, jury)
    submission = submit_file(org_a)
    assign(federation_client, session, submission)
    present = [jury.employers[0], jury.employees[0]]
    deliberate(jury.client(present[0]), session, present, [{"submission": submission.pk, "outcome": "certified"}])
    url = f"/api/federation/jury-sessions/{session.pk}/minutes/approve/"

    absent = jury.client(jury.employers[1]).post(url)
    assert absent.status_code == 400
    assert absent.json()["code"] == "minutes_member_absent"

    first = jury.client(present[0]).post(url)
    assert first.status_code == 200
    assert first.json()["final"] is False
    assert [m["name"] for m in first.json()["pending_approval"]] == [present[1].name]
    late = deliberate(jury.client(present[1]), session, present, [])
    assert late.status_code == 400  # at least one decision is required
    second = jury.client(present[1]).post(url)
    assert second.json()["final"] is True
    assert second.json()["status"] == "closed"
    assert [a["name"] for a in second.json()["approvals"]] == [m.name for m in present]
    pdf = federation_client.get(f"/api/federation/jury-sessions/{session.pk}/minutes/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


# --- roles ----------------------------------------------------------------------------------------------


def test_roles(
    federation_client: Any,
    jury: JuryFixture,
    api_client_for: Callable[..., Any],
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
) -> None:
    session = plan_session(federation_client, jury)
    submission = submit_file(org_a)
    assign(federation_client, session, submission)
    analyst = api_client_for(None, "analyst")
    assert analyst.get(f"/api/federation/jury-sessions/{session.pk}/").status_code == 200
    assert analyst.get("/api/federation/submissions/").status_code == 200
    assert analyst.post("/api/federation/juries/", {"name": "X"}, format="json").status_code == 403
    assert analyst.post(f"/api/federation/jury-sessions/{session.pk}/convene/", {"members": [1]}).status_code == 403

    convened = jury.client(jury.employers[0])
    files = convened.get(f"/api/federation/jury-sessions/{session.pk}/files/")
    assert files.status_code == 200
    assert set(files.json()[0]) == {
        "id",
        "candidate_name",
        "referential_id",
        "organisation",
        "domains_mastered",
        "domains_total",
        "evaluating_organisations",
        "training_organisations",
        "status",
        "reasons",
        "certificate_number",
    }
    assert convened.post("/api/federation/jury-sessions/", {"jury": jury.jury.pk}).status_code == 403
    assert convened.get("/api/federation/certificates/").status_code == 403

    not_convened = jury.client(jury.employers[2])
    assert not_convened.get(f"/api/federation/jury-sessions/{session.pk}/").status_code == 404
    certify = [{"submission": submission.pk, "outcome": "certified"}]
    refused = deliberate(not_convened, session, [jury.employers[0], jury.employees[0]], certify)
    assert refused.status_code == 404
    assert (
        federation_client.post(
            f"/api/federation/jury-sessions/{session.pk}/deliberate/", {"present": [1], "decisions": []}, format="json"
        ).status_code
        == 403
    )  # admins plan, members deliberate

    # organisations' users do not exist in the public schema, and the tenant URLconf has no jury API
    tenant_token = tenant_client(submission)._credentials["HTTP_AUTHORIZATION"]
    assert (
        federation_client.__class__()
        .get("/api/federation/jury-sessions/", HTTP_HOST=settings.CLEA_BASE_DOMAIN, HTTP_AUTHORIZATION=tenant_token)
        .status_code
        == 401
    )
    assert tenant_client(submission).get("/api/federation/jury-sessions/").status_code == 404
    assert tenant_client(submission).get("/api/federation/submissions/").status_code == 404
