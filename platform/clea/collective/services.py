"""Collective sessions: schedule, enrol (convocation e-mailed through the outbox), attendance (R3).

The kernel decides (:mod:`clea.kernel.collective`); every change is one transaction called by the API and the
web alike. Convocations and reminders are follow-ups written to the outbox by task name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from clea.accounts.models import User
from clea.accounts.roles import STAFF
from clea.collective.models import CollectiveSession, Enrolment
from clea.journey import repository as repo
from clea.journey.models import CandidateFileRecord
from clea.kernel import collective as kernel
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState
from clea.outbox.writer import enqueue
from clea.versioning import bump, check_version

CONVOCATION_TASK = "clea.tasks.collective.send_convocation"
AWAITING = (FileState.FILE_OPENED.value, FileState.TRAINING.value)


@dataclass(frozen=True)
class SessionInput:
    on: date
    starts_at: time
    ends_at: time
    place: str = ""
    video_link: str = ""
    capacity: int = 12
    modality: str = ""
    evaluator_ids: tuple[int, ...] = ()
    contact: str = ""
    what_to_bring: str = ""


def _evaluators(ids: Sequence[int]) -> list[User]:
    found = list(User.objects.filter(pk__in=ids, is_active=True, role__in=STAFF))
    if len(found) != len(set(ids)):
        raise DomainError(
            "unknown_evaluator",
            "R3",
            "Un évaluateur choisi n'est pas un membre actif de l'organisme.",
            "A chosen evaluator is not an active staff member of the organisation.",
        )
    return found


def do_schedule(data: SessionInput, user: User, today: date | None = None) -> CollectiveSession:
    evaluators = _evaluators(data.evaluator_ids)
    kernel.check_session(
        kernel.SessionPlan(
            data.on,
            data.starts_at,
            data.ends_at,
            data.place,
            data.video_link,
            data.capacity,
            tuple(repo.user_ref(e.pk) for e in evaluators),
        ),
        today or timezone.localdate(),
    )
    with transaction.atomic():
        session = CollectiveSession.objects.create(
            on=data.on,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            place=data.place.strip(),
            video_link=data.video_link.strip(),
            capacity=data.capacity,
            modality=data.modality.strip(),
            contact=data.contact.strip(),
            what_to_bring=data.what_to_bring.strip(),
            created_by=user,
        )
        session.evaluators.set(evaluators)
    return session


def do_enrol(session_id: int, file_id: int, user: User, today: date | None = None) -> Enrolment:
    """Convene a candidate: the enrolment and its convocation e-mail (outbox) in one transaction."""
    today = today or timezone.localdate()
    with transaction.atomic():
        session = CollectiveSession.objects.select_for_update().get(pk=session_id)
        record = CandidateFileRecord.objects.filter(pk=file_id).first()
        if record is None:
            raise DomainError("unknown_file", None, "Dossier inconnu dans cet organisme.", "Unknown file.")
        trainers = {path.trainer_id for path in record.paths.all()}
        conflicted = trainers & set(session.evaluators.values_list("pk", flat=True))
        if conflicted:
            raise DomainError(
                "trainer_is_evaluator",
                "R7",
                "Un évaluateur de cette séance forme cette personne et ne peut donc pas l'évaluer.",
                "An evaluator of this session trains this person and so cannot evaluate them.",
            )
        kernel.check_enrolment(
            session.on,
            today,
            session.enrolments.count(),
            session.capacity,
            session.enrolments.filter(file=record).exists(),
            record.state in AWAITING,
        )
        enrolment = Enrolment.objects.create(session=session, file=record, enrolled_by=user)
        enqueue(CONVOCATION_TASK, [enrolment.pk])
    return enrolment


def do_mark_attendance(
    session_id: int,
    file_id: int,
    attendance: kernel.Attendance,
    user: User,
    today: date | None = None,
    expected_version: int | None = None,
) -> Enrolment:
    """Present, absent or excused. Nothing is written to the evaluation: an absence is never "not acquired"."""
    today = today or timezone.localdate()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("session")
            .filter(session_id=session_id, file_id=file_id)
        ).first()
        if enrolment is None:
            raise DomainError(
                "not_enrolled",
                "R3",
                "Cette personne n'est pas convoquée à cette séance.",
                "This person is not convened to this session.",
            )
        check_version(enrolment, expected_version, "La présence de cette personne")
        kernel.check_attendance(enrolment.session.on, today, attendance)
        enrolment.attendance = attendance.value
        enrolment.attendance_by = user
        enrolment.attendance_at = timezone.now()
        bump(enrolment, ("attendance", "attendance_by", "attendance_at"))
    return enrolment


def with_counts(sessions: QuerySet[CollectiveSession]) -> QuerySet[CollectiveSession]:
    return sessions.annotate(
        enrolled=Count("enrolments"),
        present=Count("enrolments", filter=Q(enrolments__attendance=kernel.Attendance.PRESENT.value)),
        absent=Count("enrolments", filter=Q(enrolments__attendance=kernel.Attendance.ABSENT.value)),
        excused=Count("enrolments", filter=Q(enrolments__attendance=kernel.Attendance.EXCUSED.value)),
    ).prefetch_related("evaluators")


def dashboard(today: date | None = None) -> dict[str, list[CollectiveSession]]:
    """Today's sessions and this week's, with their attendance (the counsellor's dashboard)."""
    today = today or timezone.localdate()
    monday, sunday = kernel.week_of(today)
    week = list(with_counts(CollectiveSession.objects.filter(on__range=(monday, sunday))))
    return {"today": [s for s in week if s.on == today], "week": week}


def other_sessions(enrolment: Enrolment, today: date | None = None) -> list[CollectiveSession]:
    """Upcoming sessions with a free seat, offered after an absence (R3)."""
    today = today or timezone.localdate()
    upcoming = with_counts(CollectiveSession.objects.filter(on__gte=today).exclude(pk=enrolment.session_id))
    return [s for s in upcoming if int(getattr(s, "enrolled", 0)) < s.capacity][:5]


def present_session(session: CollectiveSession) -> dict[str, object]:
    enrolments = list(session.enrolments.select_related("file__candidate").order_by("id"))
    return {
        "id": session.pk,
        "on": session.on.isoformat(),
        "starts_at": session.starts_at.strftime("%H:%M"),
        "ends_at": session.ends_at.strftime("%H:%M"),
        "place": session.place,
        "video_link": session.video_link,
        "capacity": session.capacity,
        "modality": session.modality,
        "contact": session.contact,
        "what_to_bring": session.what_to_bring,
        "evaluator_ids": sorted(session.evaluators.values_list("pk", flat=True)),
        "enrolments": [
            {
                "file_id": e.file_id,
                "candidate": e.file.candidate.full_name,
                "attendance": e.attendance,
                "attendance_label": kernel.Attendance(e.attendance).label_fr,
                "version": e.version,  # to send back with the next attendance mark (409 if it changed)
                "convocation_sent_at": e.convocation_sent_at.isoformat() if e.convocation_sent_at else None,
                "reminder_sent_at": e.reminder_sent_at.isoformat() if e.reminder_sent_at else None,
            }
            for e in enrolments
        ],
    }
