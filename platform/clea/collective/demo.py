"""Demo collective sessions: one held yesterday (three convened, one absent), one next week."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.collective import services
from clea.collective.models import CollectiveSession
from clea.journey.models import CandidateFileRecord
from clea.kernel.collective import Attendance


def seed_sessions(counsellor_username: str, evaluator_username: str) -> None:
    """Idempotent: nothing happens when the organisation already has sessions."""
    if CollectiveSession.objects.exists():
        return
    counsellor = User.objects.get(username=counsellor_username)
    evaluator = User.objects.get(username=evaluator_username)
    today = timezone.localdate()
    yesterday, next_week = today - timedelta(days=1), today + timedelta(days=7)
    files = list(
        CandidateFileRecord.objects.filter(state__in=services.AWAITING)
        .exclude(paths__trainer=evaluator)
        .order_by("id")
        .values_list("pk", flat=True)[:5]
    )
    with transaction.atomic():
        held = services.do_schedule(
            services.SessionInput(
                yesterday,
                time(9),
                time(12, 30),
                "Salle 2, 1er étage",
                "",
                8,
                "",
                (evaluator.pk,),
                "Accueil de l'organisme",
                "Une pièce d'identité",
            ),
            counsellor,
            today=yesterday,
        )
        for file_id, attendance in zip(
            files[:3], (Attendance.PRESENT, Attendance.PRESENT, Attendance.ABSENT), strict=False
        ):
            services.do_enrol(held.pk, file_id, counsellor, today=yesterday)
            services.do_mark_attendance(held.pk, file_id, attendance, counsellor)
        coming = services.do_schedule(
            services.SessionInput(
                next_week,
                time(13, 30),
                time(17),
                "",
                "https://visio.example/clea-seance",
                6,
                "",
                (evaluator.pk,),
                "Accueil de l'organisme",
                "Un ordinateur ou une tablette avec caméra",
            ),
            counsellor,
        )
        for file_id in files[2:4]:  # the person absent yesterday is offered next week's session
            services.do_enrol(coming.pk, file_id, counsellor)
