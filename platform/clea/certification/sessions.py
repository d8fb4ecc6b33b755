"""Jury sessions: convening (R11), assigning files (R11), deliberating (R11 quorum, R12) and the minutes.

Every rule is the kernel's (:mod:`clea.kernel.jury`); this module maps rows to kernel values and stores the
outcome. Organisations: snapshots name the evaluating organisations by schema name, and the training
organisations by the name typed on the path; members' linked :class:`Organisation` rows are mapped to the
same labels (``"<name> (<slug>)"`` for a schema, and the bare name for a typed training organisation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clea.audit.trail import append
from clea.certification.certificates import issue_certificate
from clea.certification.models import (
    JuryMember,
    JuryMinutesApproval,
    JurySession,
    JurySubmission,
    SessionDecision,
    SessionStatus,
    SubmissionStatus,
)
from clea.kernel import jury as kernel
from clea.kernel.errors import DomainError
from clea.outbox.writer import enqueue
from clea.versioning import bump, check_version
from clea_tenants.models import Organisation
from clea_tenants.training_bodies import identities_of_body, identities_of_organisation

OPEN_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.ADJOURNED)
RECORD_JURY_DECISION = "clea.tasks.jury.record_jury_decision"  # the decision flows back to the file (by name)


class JuryConflictOfInterest(DomainError):
    """R11 independence, with the member and the organisation named in the API payload."""

    def __init__(self, error: DomainError, member: JuryMember, organisation: str, file_ref: str) -> None:
        super().__init__(error.code, error.rule, error.message_fr, error.message_en)
        self.member = member
        self.organisation = organisation
        self.file_ref = file_ref

    def extra_payload(self) -> dict[str, Any]:
        return {
            "member": {"id": self.member.pk, "name": self.member.name},
            "organisation": self.organisation,
            "file_ref": self.file_ref,
        }


# --- from rows to kernel values ---------------------------------------------------------------------


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.slug})"


def schema_labels(schema_names: Iterable[str]) -> dict[str, str]:
    """Schema name → label of the organisation (unknown schemas keep their name)."""
    names = set(schema_names)
    return {o.schema_name: organisation_label(o) for o in Organisation.objects.filter(schema_name__in=names)}


def kernel_member(member: JuryMember) -> kernel.JuryMember:
    """The member as R11 sees it: every identity of the organisations and training bodies it is linked to."""
    linked: set[str] = set()
    for organisation in member.organisations.all():
        linked |= identities_of_organisation(organisation)
    for body in member.training_bodies.select_related("organisation"):
        linked |= identities_of_body(body)
    return kernel.JuryMember(str(member.pk), member.name, kernel.College(member.college), frozenset(linked))


def snapshot_of(submission: JurySubmission) -> kernel.JurySnapshot:
    data = submission.snapshot
    return kernel.JurySnapshot(
        file_ref=str(data["file_ref"]),
        candidate_name=str(data["candidate_name"]),
        referential_id=str(data["referential_id"]),
        domains_mastered=tuple(data["domains_mastered"]),
        domains_total=tuple(data["domains_total"]),
        evaluating_organisations=frozenset(data["evaluating_organisations"]),
        training_organisations=frozenset(data["training_organisations"]),
        evidence=tuple(data.get("evidence", ())),
    )


def files_on_session(submissions: Sequence[JurySubmission]) -> list[kernel.FileOnSession]:
    labels = schema_labels(s for sub in submissions for s in sub.snapshot.get("evaluating_organisations", ()))
    files = []
    for submission in submissions:
        snapshot = snapshot_of(submission)
        files.append(
            kernel.FileOnSession(
                file_ref=f"{submission.organisation.slug}/{snapshot.file_ref}",
                evaluating_organisations=frozenset(labels.get(o, o) for o in snapshot.evaluating_organisations),
                training_organisations=snapshot.training_organisations,
            )
        )
    return files


def check_r11(members: Sequence[JuryMember], submissions: Sequence[JurySubmission]) -> None:
    """R11: paritaire composition, then no member linked to an organisation of a candidate on the session."""
    kernel.check_composition([kernel_member(m) for m in members])
    check_members_independent(members, submissions)


def check_members_independent(members: Sequence[JuryMember], submissions: Sequence[JurySubmission]) -> None:
    files = files_on_session(submissions)
    for member in members:
        linked = kernel_member(member)
        try:
            kernel.check_independence([linked], files)
        except DomainError as error:
            for file in files:
                involved = kernel.involved_organisations(linked, file)
                if involved:
                    raise JuryConflictOfInterest(error, member, involved[0], file.file_ref) from error
            raise


# --- planning ---------------------------------------------------------------------------------------


def _open_submissions(session: JurySession) -> list[JurySubmission]:
    return list(session.submissions.filter(status__in=OPEN_STATUSES).select_related("organisation"))


def _require_not_closed(session: JurySession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise DomainError(
            "session_closed_conflict",
            None,
            "La session est close : son procès-verbal est approuvé.",
            "The session is closed: its minutes are approved.",
        )


def _locked_session(session: JurySession, expected_version: int | None) -> JurySession:
    """The session locked for this transaction, at the version the caller read (else ``version_conflict``)."""
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    check_version(locked, expected_version, "Cette session")
    return locked


def convene(session: JurySession, member_ids: Iterable[int], expected_version: int | None = None) -> JurySession:
    """Convene exactly these members of the session's jury (R11: paritaire, and independent of its files)."""
    ids = set(member_ids)
    with transaction.atomic():
        session = _locked_session(session, expected_version)
        _require_not_closed(session)
        members = list(session.jury.members.filter(pk__in=ids, active=True).prefetch_related("organisations"))
        unknown = ids - {m.pk for m in members}
        if unknown:
            raise DomainError(
                "unknown_jury_member",
                None,
                f"Ces membres n'appartiennent pas au jury {session.jury} ou ne sont plus actifs : {sorted(unknown)}.",
                f"These members do not belong to jury {session.jury} or are inactive: {sorted(unknown)}.",
            )
        check_r11(members, _open_submissions(session))
        session.convened.set(members)
        bump(session)
        return session


def assign(
    session: JurySession, submission_ids: Iterable[int], expected_version: int | None = None
) -> list[JurySubmission]:
    """Put files on the session: refused (R11) when the convened members are not paritaire or not independent."""
    ids = set(submission_ids)
    with transaction.atomic():
        session = _locked_session(session, expected_version)
        _require_not_closed(session)
        new = list(JurySubmission.objects.select_for_update().filter(pk__in=ids).select_related("organisation"))
        missing = ids - {s.pk for s in new}
        if missing:
            raise JurySubmission.DoesNotExist(f"no submission {sorted(missing)}")
        for submission in new:
            if submission.status not in OPEN_STATUSES:
                raise DomainError(
                    "submission_decided_conflict",
                    "R12",
                    f"Le dossier {submission} a déjà reçu une décision définitive.",
                    f"File {submission} already has a final decision.",
                )
            other = submission.session_id not in (None, session.pk)
            if other and submission.status == SubmissionStatus.PENDING:
                raise DomainError(
                    "submission_assigned_conflict",
                    None,
                    f"Le dossier {submission.candidate_name} est déjà inscrit à une autre session.",
                    f"File {submission.candidate_name} is already on another session.",
                )
        members = list(session.convened.prefetch_related("organisations"))
        on_session = {s.pk: s for s in _open_submissions(session)} | {s.pk: s for s in new}
        check_r11(members, list(on_session.values()))
        JurySubmission.objects.filter(pk__in=ids).update(session=session)
        bump(session)
        return list(JurySubmission.objects.filter(pk__in=ids))


def unassign(session: JurySession, submission_ids: Iterable[int], expected_version: int | None = None) -> None:
    with transaction.atomic():
        session = _locked_session(session, expected_version)
        _require_not_closed(session)
        decided = SessionDecision.objects.filter(session=session, submission_id__in=set(submission_ids))
        if decided.exists():
            raise DomainError(
                "submission_decided_conflict",
                "R12",
                "Un dossier déjà délibéré ne peut plus être retiré de la session.",
                "A file already decided cannot be taken off the session.",
            )
        JurySubmission.objects.filter(session=session, pk__in=set(submission_ids)).update(session=None)
        bump(session)


def assignable_submissions() -> QuerySet[JurySubmission]:
    """Files waiting for a session: pending and on none, or adjourned."""
    return (
        JurySubmission.objects.filter(
            Q(status=SubmissionStatus.PENDING, session__isnull=True) | Q(status=SubmissionStatus.ADJOURNED)
        )
        .select_related("organisation")
        .order_by("submitted_at", "id")
    )


# --- deliberation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    submission_id: int
    outcome: str
    reasons: str = ""


def deliberate(
    session: JurySession,
    present_ids: Iterable[int],
    decisions: Sequence[DecisionInput],
    recorded_by: JuryMember | None = None,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> list[SessionDecision]:
    """R11 quorum of the members present, then R12 for each file (certify only when R10 holds), in one
    transaction; each decision then flows back to its organisation (outbox, relayed after commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked_session(session, expected_version)
        _require_not_closed(session)
        if session.approvals.exists():
            raise DomainError(
                "minutes_approval_conflict",
                None,
                "L'approbation du procès-verbal a commencé : la délibération est terminée.",
                "Approval of the minutes has started: the deliberation is over.",
            )
        convened = list(session.convened.prefetch_related("organisations"))
        by_id = {m.pk: m for m in convened}
        present_set = set(present_ids)
        present = [by_id[i] for i in sorted(present_set) if i in by_id]
        strangers = list(JuryMember.objects.filter(pk__in=present_set - set(by_id)))
        present_kernel = tuple(kernel_member(m) for m in [*present, *strangers])
        kernel.check_quorum([kernel_member(m) for m in convened], present_kernel)
        if recorded_by is not None and recorded_by.pk not in by_id:
            raise DomainError(
                "jury_member_not_convened",
                "R11",
                f"{recorded_by.name} n'est pas convoqué(e) à cette session.",
                f"{recorded_by.name} is not convened to this session.",
            )
        wanted = {d.submission_id for d in decisions}
        submissions = {
            s.pk: s
            for s in JurySubmission.objects.select_for_update()
            .filter(session=session, pk__in=wanted)
            .select_related("organisation")
        }
        check_members_independent(present, list(submissions.values()))
        stored: list[SessionDecision] = []
        for item in decisions:
            submission = submissions.get(item.submission_id)
            if submission is None:
                raise JurySubmission.DoesNotExist(f"submission {item.submission_id} is not on this session")
            stored.append(_decide(session, submission, item, present, present_kernel, recorded_by, now))
        session.present.add(*present)
        if session.status == SessionStatus.PLANNED:
            session.status = SessionStatus.HELD
            session.held_at = now
        bump(session, ("status", "held_at"))
        for decision in stored:
            enqueue(RECORD_JURY_DECISION, [decision.submission.pk], schema_name="public")
        return stored


def _decide(
    session: JurySession,
    submission: JurySubmission,
    item: DecisionInput,
    present: list[JuryMember],
    present_kernel: tuple[kernel.JuryMember, ...],
    recorded_by: JuryMember | None,
    now: datetime,
) -> SessionDecision:
    if submission.status not in OPEN_STATUSES or session.decisions.filter(submission=submission).exists():
        raise DomainError(
            "submission_decided_conflict",
            "R12",
            f"Le dossier de {submission.candidate_name} a déjà été délibéré.",
            f"The file of {submission.candidate_name} was already decided.",
        )
    try:
        outcome = kernel.Outcome(item.outcome)
    except ValueError as exc:
        raise DomainError(
            "unknown_outcome",
            "R12",
            f"Décision du jury inconnue : {item.outcome!r} (certifié, refusé ou ajourné).",
            f"Unknown jury outcome {item.outcome!r} (certified, refused or adjourned).",
        ) from exc
    decision = kernel.decide(snapshot_of(submission), outcome, present_kernel, now, item.reasons)
    certificate_number = ""
    if outcome is kernel.Outcome.CERTIFIED:
        certificate_number = issue_certificate(submission, session, now).number
    submission.status = outcome.value
    submission.decided_at = now
    submission.reasons = decision.reasons
    submission.certificate_number = certificate_number
    submission.save(update_fields=["status", "decided_at", "reasons", "certificate_number"])
    recorded = SessionDecision.objects.create(
        session=session,
        submission=submission,
        outcome=outcome.value,
        reasons=decision.reasons,
        decided_at=now,
        members_present=[int(i) for i in decision.members_present],
        recorded_by=recorded_by,
        certificate_number=certificate_number,
    )
    append(  # the federation's public audit trail: who recorded which decision, when (R13)
        "jury.decision",
        actor=recorded_by.user if recorded_by is not None else None,
        object_ref=f"submission:{submission.pk}",
        detail={
            "session": session.pk,
            "outcome": outcome.value,
            "reasons": decision.reasons,
            "members_present": [int(i) for i in decision.members_present],
            "certificate_number": certificate_number,
            "decided_at": now.isoformat(),
        },
    )
    return recorded


# --- minutes ------------------------------------------------------------------------------------------


def approve_minutes(
    session: JurySession, member: JuryMember, now: datetime | None = None, expected_version: int | None = None
) -> JurySession:
    """A present member approves the minutes; the session closes when every present member has."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked_session(session, expected_version)
        if not session.decisions.exists():
            raise DomainError(
                "minutes_not_ready_conflict",
                None,
                "Aucune décision n'est encore enregistrée : il n'y a pas de procès-verbal à approuver.",
                "No decision recorded yet: there are no minutes to approve.",
            )
        if not session.present.filter(pk=member.pk).exists():
            raise DomainError(
                "minutes_member_absent",
                "R11",
                f"{member.name} n'était pas présent(e) : seuls les membres présents approuvent le procès-verbal.",
                f"{member.name} was not present: only the members present approve the minutes.",
            )
        JuryMinutesApproval.objects.get_or_create(session=session, member=member, defaults={"approved_at": now})
        present = set(session.present.values_list("pk", flat=True))
        approved = set(session.approvals.values_list("member_id", flat=True))
        if present <= approved and session.status != SessionStatus.CLOSED:
            session.status = SessionStatus.CLOSED
            session.closed_at = now
        bump(session, ("status", "closed_at"))
        return session


@dataclass(frozen=True)
class MinutesLine:
    candidate_name: str
    organisation: str
    file_ref: str
    outcome: str
    outcome_label: str
    reasons: str
    certificate_number: str
    decided_at: datetime


@dataclass(frozen=True)
class Minutes:
    session: JurySession
    present_by_college: dict[str, list[JuryMember]]
    absent: list[JuryMember]
    lines: list[MinutesLine]
    approvals: list[JuryMinutesApproval]
    pending_approval: list[JuryMember]

    @property
    def final(self) -> bool:
        return bool(self.lines) and not self.pending_approval


def minutes(session: JurySession) -> Minutes:
    present = list(session.present.all())
    convened = list(session.convened.all())
    approvals = list(session.approvals.select_related("member"))
    approved_ids = {a.member_id for a in approvals}
    by_college: dict[str, list[JuryMember]] = {"employer": [], "employee": []}
    for member in present:
        by_college.setdefault(member.college, []).append(member)
    lines = [
        MinutesLine(
            candidate_name=d.submission.candidate_name,
            organisation=d.submission.organisation.name,
            file_ref=d.submission.file_ref,
            outcome=d.outcome,
            outcome_label=kernel.Outcome(d.outcome).label_fr,
            reasons=d.reasons,
            certificate_number=d.certificate_number,
            decided_at=d.decided_at,
        )
        for d in session.decisions.select_related("submission__organisation")
    ]
    return Minutes(
        session=session,
        present_by_college=by_college,
        absent=[m for m in convened if m.pk not in {p.pk for p in present}],
        lines=lines,
        approvals=approvals,
        pending_approval=[m for m in present if m.pk not in approved_ids],
    )


def sessions_of_member(member: JuryMember) -> QuerySet[JurySession]:
    return JurySession.objects.filter(convened=member).select_related("jury").order_by("-starts_at")
