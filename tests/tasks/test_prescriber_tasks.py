"""A prescriber's referral through a real worker: delivered into the chosen organisation's schema only, then
the attestation and the result come back to the prescriber (portal and e-mail) after the person stops."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.tasks.conftest import Mailbox, Worker, wait_for
from tests.tasks.helpers import staff

from clea.journey import services as journey
from clea.prescribers import services
from clea.prescribers.inbox import services as inbox
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import Notification, PrescriberMember, PrescriberOrganisation, PrescriberStatus, Referral

pytestmark = [pytest.mark.db, pytest.mark.worker]


def test_a_referral_reaches_the_organisation_and_the_result_comes_back(
    committed: None, worker: Worker, task_orgs: tuple[Any, Any], mailbox: Mailbox
) -> None:
    org_a, org_b = task_orgs
    tag = uuid.uuid4().hex[:8]
    prescriber = PrescriberOrganisation.objects.create(
        kind="france_travail",
        name=f"France Travail {tag}",
        region="84",
        contact_email=f"ft-{tag}@example.test",
        status=PrescriberStatus.APPROVED,
    )
    user = make_user("public", "prescriber")
    member = PrescriberMember.objects.create(user=user, organisation=prescriber, is_admin=True)
    referral = services.refer(
        member, org_a.pk, services.Person("Léa", f"Orientée-{tag}"), services.ReferralConsent(date.today())
    )  # committed: the outbox relays the delivery to the worker, which runs it in org A's schema
    with schema_context(org_a.schema_name):
        incoming = wait_for(
            lambda: IncomingReferral.objects.filter(referral_uid=referral.uid).first(), what="the delivery"
        )
    with schema_context(org_b.schema_name):
        assert not IncomingReferral.objects.filter(referral_uid=referral.uid).exists()
    with schema_context(org_a.schema_name):
        people = staff(org_a.schema_name)
        record = inbox.accept(incoming.pk, people.counsellor)
        journey.do_withdraw(int(record.pk), None, "moved", people.counsellor)
    notification = wait_for(lambda: Notification.objects.filter(referral=referral).first(), what="the result")
    assert notification.link.endswith(f"/prescripteur/orientations/{referral.pk}/attestation.pdf")
    assert Referral.objects.get(pk=referral.pk).attestation_pdf
    message = wait_for(lambda: mailbox.to(user.email), what="the e-mail to the prescriber")[0]
    assert f"Orientée-{tag}" in str(message.get("Subject", "")) + message.get_payload(decode=False).__str__()
