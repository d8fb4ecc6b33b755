"""Prescribers' follow-ups: referrals delivered to the organisation's schema, invitations, results back."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clea.celery import task
from clea.journey.documents import make_partial_attestation
from clea.outbox.writer import enqueue
from clea.prescribers import notices
from clea.prescribers.inbox import reminders
from clea.prescribers.inbox.services import receive
from clea.prescribers.models import Invitation, Referral
from clea.prescribers.services import RESULT_TASK
from clea.tasks.ledger import run_once
from clea_tenants.schemas import current_schema


@task("clea.tasks.prescribers.deliver_referral", bind=True)
def deliver_referral(self: Any, referral_id: int) -> int:
    """In the organisation's schema: copy the referral into its inbox (idempotent: one copy per referral)."""
    return int(receive(referral_id).pk)


@task("clea.tasks.prescribers.send_invitation", bind=True)
def send_invitation(self: Any, invitation_id: int) -> int:
    invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
    _, sent = run_once(
        f"public:prescriber-invitation:{invitation_id}",
        lambda: notices.invitation_mail(invitation),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    return sent or 0


@task("clea.tasks.prescribers.send_result", bind=True)
def send_result(self: Any, referral_id: int) -> int:
    """Public schema: the prescriber's portal notification and e-mail (declined, certified, attestation)."""
    referral = Referral.objects.get(pk=referral_id)
    _, sent = run_once(
        f"public:prescriber-result:{referral_id}:{referral.stage}",
        lambda: notices.notify_result(referral_id),
        task_name=self.name,
        task_id=self.request.id or "",
    )
    return sent or 0


@task("clea.tasks.prescribers.share_attestation", bind=True)
def share_attestation(self: Any, referral_id: int, file_id: int, decision_id: int) -> str:
    """In the organisation's schema: the attestation of what is acquired (the same document the file gets),
    copied to the prescriber's referral while consent holds, then the result is sent."""
    document = make_partial_attestation(file_id, source_key=f"partial_attestation:decision:{decision_id}")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if not referral.is_shared:
            return "consent withdrawn"
        with document.content.open("rb") as content:
            referral.attestation_pdf = content.read()
        referral.save(update_fields=["attestation_pdf"])
        enqueue(RESULT_TASK, [referral_id], schema_name="public")
    return f"{current_schema()}:{document.uid}"


@task("clea.tasks.prescribers.remind_pending_referrals", bind=True)
def remind_pending_referrals(self: Any) -> int:
    """Each organisation (beat, all tenants): remind the counsellors of referrals left unanswered."""
    return reminders.remind_pending()
