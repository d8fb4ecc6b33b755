"""Juries and certificates: files submitted by organisations through their API, juries in the public schema.

def test_x(jury, submit_file, federation_client):
    submission = submit_file(org_a)                 # a file walked to the jury through org A's API
    session = plan_session(federation_client, jury)  # 2 + 2 members convened
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to
from tests.fixtures.tenants import make_user

from clea.certification.models import College, Jury, JuryMember, JurySession, JurySubmission
from clea.journey.models import Candidate

pytestmark = [pytest.mark.db]


@dataclass
class JuryFixture:
    jury: Jury
    employers: list[JuryMember]
    employees: list[JuryMember]
    clients: dict[int, Any] = field(default_factory=dict)  # member id -> API client signed in as that member

    @property
    def members(self) -> list[JuryMember]:
        return [*self.employers, *self.employees]

    def client(self, member: JuryMember) -> Any:
        return self.clients[member.pk]


def new_member(
    first: str, last: str, college: str, user: Any = None, organisations: tuple[Any, ...] = ()
) -> JuryMember:
    member = JuryMember.objects.create(user=user, first_name=first, last_name=last, college=college)
    member.organisations.set(organisations)
    return member


@pytest.fixture
def jury(api_client_for: Callable[..., Any]) -> JuryFixture:
    """A jury whose pool has 3 employers and 3 employees, each signed in through the API (role jury_member)."""
    found = Jury.objects.create(name="Jury paritaire Île-de-France", region="11")
    people = {
        College.EMPLOYER: [("Émile", "Patron"), ("Edith", "Entreprise"), ("Eric", "Employeur")],
        College.EMPLOYEE: [("Sarah", "Salariée"), ("Simon", "Syndicat"), ("Sonia", "Section")],
    }
    result = JuryFixture(found, [], [])
    for college, names in people.items():
        for first, last in names:
            client = api_client_for(None, "jury_member")
            member = new_member(first, last, college, user=client.user)
            found.members.add(member)
            result.clients[member.pk] = client
            (result.employers if college == College.EMPLOYER else result.employees).append(member)
    return result


@pytest.fixture
def submit_file(api_client_for: Callable[..., Any]) -> Callable[..., JurySubmission]:
    """``submit_file(org)``: a file walked to ready_for_jury through the organisation's API, then submitted."""

    def build(org: Any, last_name: str = "Martin") -> JurySubmission:
        client = api_client_for(org, "counsellor")
        accredited = org.accreditations.filter(revoked_at__isnull=True).select_related("branch").first()
        body = walk_to(client, "ready_for_jury", modality=accredited.branch.code)
        with schema_context(org.schema_name):
            Candidate.objects.filter(files__pk=body["id"]).update(last_name=last_name)
        response = client.post(f"/api/files/{body['id']}/submit/", {"version": body["version"]}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "submitted"
        submission: JurySubmission = JurySubmission.objects.get(organisation=org, file_ref=str(body["id"]))
        submission.__dict__["tenant_client"] = client  # see tenant_client()
        return submission

    return build


def assign(federation_client: Any, session: JurySession, *submissions: JurySubmission) -> Any:
    """Put ``submissions`` on the agenda of ``session`` through the API (federation admin); returns the response."""
    agenda = {"submissions": [submission.pk for submission in submissions]}
    return federation_client.post(f"/api/federation/jury-sessions/{session.pk}/assign/", agenda, format="json")


def plan_session(federation_client: Any, jury: JuryFixture, members: list[JuryMember] | None = None) -> JurySession:
    """A session of ``jury`` with ``members`` (default: 2 employers + 2 employees) convened through the API."""
    response = federation_client.post(
        "/api/federation/jury-sessions/",
        {"jury": jury.jury.pk, "starts_at": (timezone.now() + timedelta(days=1)).isoformat(), "place": "Paris"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    session = JurySession.objects.get(pk=response.json()["id"])
    convened = members if members is not None else [*jury.employers[:2], *jury.employees[:2]]
    response = federation_client.post(
        f"/api/federation/jury-sessions/{session.pk}/convene/", {"members": [m.pk for m in convened]}, format="json"
    )
    assert response.status_code == 200, response.json()
    return session


def tenant_client(submission: JurySubmission) -> Any:
    """The API client of the organisation's counsellor who submitted the file (set by ``submit_file``)."""
    return submission.__dict__["tenant_client"]


def federation_user(role: str) -> Any:
    return make_user("public", role)
