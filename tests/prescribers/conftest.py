"""Prescribers: two approved prescriber organisations with API clients, and the outbox run in-process.

def test_x(prescriber, run_followups, org_a):
    france_travail = prescriber("france_travail", "France Travail Lyon")
    france_travail.client.post("/api/prescriber/referrals/", {...}, format="json")
    run_followups()          # delivers the referral into org A's inbox, sends results...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.browser import chromium  # noqa: F401 - the browser fixture
from tests.fixtures.tenants import TenantAPIClient, make_user, token_for
from tests.web.conftest import web_client_for  # noqa: F401 - the web client fixture

from clea.celery import app
from clea.outbox.models import OutboxMessage
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation, PrescriberStatus
from clea.tasks import registry  # noqa: F401  (registers the tasks by name)
from clea_tenants.schemas import use_public_schema

pytestmark = [pytest.mark.db]


@dataclass
class PrescriberFixture:
    organisation: PrescriberOrganisation
    member: PrescriberMember
    client: TenantAPIClient


@pytest.fixture
def prescriber(db: None) -> Callable[..., PrescriberFixture]:
    def build(kind: str = "france_travail", name: str = "France Travail Lyon", admin: bool = True) -> PrescriberFixture:
        organisation = PrescriberOrganisation.objects.create(
            kind=kind,
            name=name,
            region="84",
            contact_email="contact@prescripteur.example",
            status=PrescriberStatus.APPROVED,
        )
        user = make_user("public", "prescriber")
        member = PrescriberMember.objects.create(user=user, organisation=organisation, is_admin=admin)
        client = TenantAPIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('public', user)}")
        client.defaults["HTTP_HOST"] = "clea.test"
        return PrescriberFixture(organisation, member, client)

    return build


@pytest.fixture
def run_followups(db: None) -> Callable[..., list[str]]:
    """Run the outbox's pending prescriber tasks (and the attestations they need) in-process, each in its
    schema, as a worker would; returns the names run. Repeats until nothing new is written."""

    seen: set[int] = set()  # the messages already run, by any earlier call

    def run(prefix: str = "clea.tasks.prescribers.") -> list[str]:
        done: list[str] = []
        while True:
            pending = list(
                OutboxMessage.objects.filter(task_name__startswith=prefix).exclude(pk__in=seen).order_by("pk")
            )
            if not pending:
                return done
            for message in pending:
                seen.add(message.pk)
                with schema_context(message.schema_name):
                    app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs, throw=True)
                use_public_schema()
                done.append(message.task_name)

    return run


def referral_body(organisation_id: int, last_name: str = "Martin", share: bool = True) -> dict[str, Any]:
    return {
        "organisation": organisation_id,
        "person": {"first_name": "Léa", "last_name": last_name, "email": "lea@example.test", "phone": "0600000000"},
        "consent": {"given": True, "given_on": str(date.today()), "share_results": share},
        "message": "Demandeuse d'emploi, projet dans le BTP.",
    }
