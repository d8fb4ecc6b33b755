"""Prescriber organisations and users (federation admin creates/approves, admin invites), the search, reminders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.fixtures.tenants import TenantAPIClient, make_user, token_for
from tests.prescribers.conftest import PrescriberFixture, referral_body

from clea.kernel.errors import DomainError
from clea.prescribers import services
from clea.prescribers.geography import department_of_postcode
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.inbox.reminders import remind_pending
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation

pytestmark = [pytest.mark.db]


def test_federation_creates_an_organisation_its_admin_joins_and_invites(
    federation_client: Any, run_followups: Callable[..., list[str]], api_client_for: Callable[..., Any]
) -> None:
    body = {
        "kind": "france_travail",
        "name": "France Travail Rhône",
        "siret": "732 829 320 00074",
        "region": "84",
        "contact_email": "rhone@ft.example",
        "admin_email": "chef@ft.example",
    }
    bad = federation_client.post("/api/federation/prescribers/", {**body, "siret": "73282932000075"}, format="json")
    assert bad.status_code == 400 and "siret" in bad.json()["fields"]
    assert (
        federation_client.post("/api/federation/prescribers/", {**body, "kind": "x"}, format="json").status_code == 400
    )
    assert not PrescriberOrganisation.objects.exists()
    assert api_client_for(None, "analyst").post("/api/federation/prescribers/", body, format="json").status_code == 403
    response = federation_client.post("/api/federation/prescribers/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["siret"] == "73282932000074" and response.json()["status"] == "approved"
    mail.outbox.clear()
    run_followups()
    (invitation_mail,) = mail.outbox
    token = invitation_mail.body.split("/prescripteur/invitation/")[1].split("/")[0]
    member = services.accept_invitation(token, first_name="Claire", last_name="Chef", password="un-mot-de-passe-long")
    assert member.is_admin and member.user.role == "prescriber"
    with pytest.raises(DomainError):
        services.accept_invitation(token, first_name="X", last_name="Y", password="un-mot-de-passe-long")
    colleague = services.invite(member, "collegue@ft.example")
    mail.outbox.clear()
    run_followups()
    assert mail.outbox[0].to == ["collegue@ft.example"]
    joined = services.accept_invitation(
        colleague.token, first_name="Paul", last_name="Pair", password="autre-mot-de-passe"
    )
    assert not joined.is_admin
    with pytest.raises(DomainError):
        services.invite(joined, "encore@ft.example")  # only an admin invites


def test_a_pending_organisation_is_approved_before_its_users_work(
    federation_client: Any, org_a: Any, run_followups: Callable[..., list[str]]
) -> None:
    organisation = services.create_organisation(
        {"kind": "employer", "name": "Dupont SA", "siret": "", "region": "11", "contact_email": "rh@dupont.example"},
        admin_email="rh@dupont.example",
        approved=False,
        by=None,
    )
    assert run_followups() == []  # no invitation before approval
    user = make_user("public", "prescriber")
    PrescriberMember.objects.create(user=user, organisation=organisation, is_admin=True)
    client = TenantAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('public', user)}")
    client.defaults["HTTP_HOST"] = "clea.test"
    assert client.get("/api/prescriber/referrals/").status_code == 403
    assert federation_client.post(f"/api/federation/prescribers/{organisation.pk}/approve/").status_code == 200
    assert run_followups() == ["clea.tasks.prescribers.send_invitation"]
    assert client.get("/api/prescriber/referrals/").status_code == 200


def test_search_by_region_branch_department_and_postcode(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, org_b: Any
) -> None:
    p = prescriber()

    def names(**query: str) -> set[str]:
        return {o["name"] for o in p.client.get("/api/prescriber/organisations/", query).json()}

    assert {org_a.name, org_b.name} <= names()
    assert names(branch="btp") >= {org_a.name} and org_b.name not in names(branch="btp")
    assert org_a.name in names(region=org_a.region) and org_a.name not in names(region="76")
    assert names(postcode="00000") == set()  # department and postcode: tests/prescribers/test_search_near.py
    assert department_of_postcode("97411") == "974" and department_of_postcode("20090") == "2A"
    row = next(o for o in p.client.get("/api/prescriber/organisations/").json() if o["name"] == org_a.name)
    assert row["branches"] == ["btp"] and row["contact_email"] == org_a.contact_email


def test_a_referral_left_unanswered_reminds_the_counsellors_once(
    prescriber: Callable[..., PrescriberFixture],
    org_a: Any,
    run_followups: Callable[..., list[str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    p = prescriber()
    assert p.client.post("/api/prescriber/referrals/", referral_body(org_a.pk), format="json").status_code == 201
    run_followups()
    with schema_context(org_a.schema_name):
        make_user(org_a.schema_name, "counsellor")
        assert remind_pending(days=7) == 0
        IncomingReferral.objects.update(received_at=timezone.now() - timedelta(days=8))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_pending(days=7) == 1
        assert len(mail.outbox) == 1 and "Martin" in mail.outbox[0].body
        assert remind_pending(days=7) == 0
