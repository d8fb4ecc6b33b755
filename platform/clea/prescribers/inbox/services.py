"""The organisation's side of a referral (tenant schema), each change in one transaction.

* :func:`receive` runs in the organisation's schema (task ``clea.tasks.prescribers.deliver_referral``) and
  copies what the counsellor needs from the public referral;
* :func:`accept` welcomes the person into a new file (R1: the welcome decision names the prescriber) and
  :func:`decline` answers with a reason the prescriber reads; both tell the public referral, inside the
  organisation's transaction, as a file submitted to the jury does;
* :func:`follow_decision` (connected to the journey's decisions) tells the prescriber the stage, with the
  person's consent, and starts the result's way back after the jury.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clea.accounts.models import User
from clea.journey.candidates import welcome_new_candidate
from clea.journey.models import CandidateFileRecord, DecisionRecord
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState, PrescriberType
from clea.kernel.journey import Referral as KernelReferral
from clea.kernel.prescribers import Stage, stage_of
from clea.outbox.writer import enqueue
from clea.prescribers.inbox.models import InboxStatus, IncomingReferral
from clea.prescribers.models import Referral, ReferralStatus
from clea.prescribers.services import withdraw_consent as withdraw_public
from clea_tenants.schemas import current_schema

RESULT_TASK = "clea.tasks.prescribers.send_result"
ATTESTATION_TASK = "clea.tasks.prescribers.share_attestation"


def pending() -> QuerySet[IncomingReferral]:
    return IncomingReferral.objects.filter(status=InboxStatus.PENDING).order_by("received_at", "id")


def receive(referral_id: int) -> IncomingReferral:
    """Copy the public referral into this organisation's inbox (once)."""
    referral = Referral.objects.select_related("prescriber", "created_by", "cohort").get(
        pk=referral_id, organisation__schema_name=current_schema()
    )
    by = referral.created_by
    copy, _ = IncomingReferral.objects.get_or_create(
        referral_uid=referral.uid,
        defaults={
            "prescriber_name": referral.prescriber.name,
            "prescriber_kind": referral.prescriber.kind,
            "referred_by": (f"{by.first_name} {by.last_name}".strip() or by.email) if by else "",
            "cohort_name": referral.cohort.name if referral.cohort else "",
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "email": referral.email,
            "phone": referral.phone,
            "message": referral.message,
            "consent_wording": referral.consent_wording,
            "consent_given_on": referral.consent_given_on,
            "share_results": referral.is_shared,
            "referred_on": referral.created_at.date(),
        },
    )
    return copy


def _lock_pending(inbox_id: int) -> IncomingReferral:
    incoming = IncomingReferral.objects.select_for_update().get(pk=inbox_id)
    if incoming.status != InboxStatus.PENDING:
        raise DomainError(
            "referral_already_answered_conflict",
            "R1",
            "Cette orientation a déjà reçu une réponse.",
            "This referral was already answered.",
        )
    return incoming


def _public(incoming: IncomingReferral) -> Referral:
    return Referral.objects.select_for_update().get(
        uid=incoming.referral_uid, organisation__schema_name=current_schema()
    )


def _reach(referral: Referral, stage: Stage, on: date) -> None:
    referral.stage = stage.value
    referral.stage_on = on
    referral.stage_dates = {**referral.stage_dates, stage.value: referral.stage_dates.get(stage.value, on.isoformat())}


def accept(inbox_id: int, counsellor: User) -> CandidateFileRecord:
    """R1: welcome the person into a new file; the welcome decision records the prescriber's identity."""
    with transaction.atomic():
        incoming = _lock_pending(inbox_id)
        referral = _public(incoming)
        kind = incoming.prescriber_kind if incoming.prescriber_kind in set(PrescriberType) else PrescriberType.OTHER
        details = {
            "first_name": incoming.first_name,
            "last_name": incoming.last_name,
            "email": incoming.email,
            "phone": incoming.phone,
        }
        loaded = welcome_new_candidate(
            details, counsellor, KernelReferral(PrescriberType(kind), incoming.prescriber_name, incoming.referred_on)
        )
        now = timezone.now()
        incoming.status, incoming.answered_by, incoming.answered_at = InboxStatus.ACCEPTED, counsellor, now
        incoming.file = loaded.record
        incoming.save(update_fields=["status", "answered_by", "answered_at", "file"])
        referral.status, referral.answered_at = ReferralStatus.ACCEPTED, now
        if referral.is_shared:
            _reach(referral, Stage.WELCOMED, timezone.localdate())
        referral.save(update_fields=["status", "answered_at", "stage", "stage_on", "stage_dates"])
        return loaded.record


def decline(inbox_id: int, counsellor: User, reason: str) -> IncomingReferral:
    """Decline with a reason the prescriber reads (e-mail and portal)."""
    if not reason.strip():
        raise DomainError(
            "reason_required", "R1", "Indiquez au prescripteur le motif du refus.", "Give the prescriber the reason."
        )
    with transaction.atomic():
        incoming = _lock_pending(inbox_id)
        referral = _public(incoming)
        now = timezone.now()
        incoming.status, incoming.answered_by, incoming.answered_at = InboxStatus.DECLINED, counsellor, now
        incoming.decline_reason = reason.strip()
        incoming.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
        referral.status, referral.answered_at, referral.decline_reason = ReferralStatus.DECLINED, now, reason.strip()
        _reach(referral, Stage.DECLINED, timezone.localdate())
        referral.save(update_fields=["status", "answered_at", "decline_reason", "stage", "stage_on", "stage_dates"])
        enqueue(RESULT_TASK, [referral.pk], schema_name="public")
    return incoming


def follow_decision(sender: Any, instance: DecisionRecord, created: bool = False, **kwargs: Any) -> None:
    """``post_save`` of a journey decision, in its transaction: the prescriber reads the new stage (with the
    person's consent, never the content), and after the jury or a stop the result starts its way back."""
    if not created:
        return
    stage = stage_of(FileState(instance.to_state))
    if stage is None or (instance.from_state and stage_of(FileState(instance.from_state)) == stage):
        return  # nothing new for a prescriber: no query (most decisions of a file stop here or at the next line)
    incoming = IncomingReferral.objects.filter(file_id=instance.file_id).first()
    if incoming is None or not incoming.share_results:
        return
    referral = Referral.objects.select_for_update().filter(uid=incoming.referral_uid).first()
    if referral is None or not referral.is_shared:
        return
    _reach(referral, stage, instance.at.date())
    fields = ["stage", "stage_on", "stage_dates"]
    if stage == Stage.CERTIFIED:
        referral.certificate_number = str((instance.detail or {}).get("certificate_number", ""))
        fields.append("certificate_number")
    referral.save(update_fields=fields)
    if stage == Stage.CERTIFIED:
        enqueue(RESULT_TASK, [referral.pk], schema_name="public")
    elif stage in (Stage.NOT_CERTIFIED, Stage.WITHDRAWN):
        enqueue(ATTESTATION_TASK, [referral.pk, instance.file_id, instance.pk], schema_name=current_schema())


def withdraw_consent(inbox_id: int) -> IncomingReferral:
    """The person told the organisation they withdraw their consent to share: the same as on the prescriber's
    side, from here."""
    with transaction.atomic():
        incoming = IncomingReferral.objects.select_for_update().get(pk=inbox_id)
        incoming.share_results = False
        incoming.save(update_fields=["share_results"])
        referral = Referral.objects.filter(
            uid=incoming.referral_uid, organisation__schema_name=current_schema()
        ).first()
        if referral is not None:
            withdraw_public(referral.pk)
    return incoming


def erase_referrals(file_ids: list[int]) -> int:
    """GDPR erasure of a candidate (``clea.privacy.erasure``, in its transaction): the inbox copies of their
    referrals lose the personal data, and sharing with the prescriber stops as after a withdrawal of consent
    (the prescriber's own record of whom it referred is the prescriber's). Returns the referrals erased."""
    copies = list(IncomingReferral.objects.select_for_update().filter(file_id__in=file_ids))
    for incoming in copies:
        referral = Referral.objects.filter(
            uid=incoming.referral_uid, organisation__schema_name=current_schema()
        ).first()
        if referral is not None:
            withdraw_public(referral.pk)
        incoming.first_name, incoming.last_name, incoming.email, incoming.phone = "", "[effacé]", "", ""
        incoming.message, incoming.consent_wording, incoming.share_results = "", "", False
        incoming.save(
            update_fields=["first_name", "last_name", "email", "phone", "message", "consent_wording", "share_results"]
        )
    return len(copies)
