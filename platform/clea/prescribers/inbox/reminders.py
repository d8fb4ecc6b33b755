"""Referrals waiting too long in an organisation's inbox remind its counsellors (beat, every day)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clea.accounts.roles import STAFF
from clea.prescribers.inbox.models import InboxStatus, IncomingReferral
from clea.prescribers.notices import send

DEFAULT_REMINDER_DAYS = 7


def reminder_days() -> int:
    return int(getattr(settings, "CLEA_REFERRAL_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def remind_pending(days: int | None = None) -> int:
    """One e-mail to the organisation's staff listing the referrals pending for ``days`` days and not yet
    reminded; each is reminded once. Returns the number of referrals reminded."""
    days = reminder_days() if days is None else days
    limit = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        due = list(
            IncomingReferral.objects.select_for_update()
            .filter(status=InboxStatus.PENDING, received_at__lte=limit, reminded_at__isnull=True)
            .order_by("received_at")
        )
        if not due:
            return 0
        IncomingReferral.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=timezone.now())
        staff = get_user_model().objects.filter(role__in=STAFF, is_active=True).exclude(email="")
        lines = "\n".join(
            f"- {r.full_name}, orienté(e) par {r.prescriber_name} le {r.referred_on:%d/%m/%Y}" for r in due
        )
        body = (
            f"Bonjour,\n\n{len(due)} orientation(s) attendent une réponse depuis plus de {days} "
            f"jours :\n{lines}\n\nAcceptez-les ou déclinez-les dans « Orientations reçues »."
        )
        transaction.on_commit(lambda: send([u.email for u in staff], "CléA — orientations en attente de réponse", body))
    return len(due)
