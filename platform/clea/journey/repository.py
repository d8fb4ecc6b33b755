"""Maps the journey tables to kernel objects and back; the only place that knows both shapes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet

from clea.journey.models import (
    CandidateFileRecord,
    CriterionResultRecord,
    DecisionRecord,
    EvaluationRecord,
    Evidence,
    ReviewStatus,
    TrainingPathRecord,
    TrainingSessionRecord,
)
from clea.kernel.evidence import EvidenceRef, kind_of_content_type
from clea.kernel.journey import (
    Actor,
    CandidateFile,
    Consent,
    Decision,
    DecisionKind,
    FileState,
    Objective,
    PrescriberType,
    Referral,
    TrainingPath,
    TrainingSession,
)
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind
from clea_tenants.schemas import current_schema


def user_ref(user_id: int | None) -> str:
    """How the kernel names a person of this organisation (R7 compares these)."""
    return f"user:{user_id}"


def user_id_from_ref(ref: str) -> int | None:
    prefix, _, value = ref.partition(":")
    return int(value) if prefix == "user" and value.isdigit() else None


def organisation_ref() -> str:
    """How the kernel names this organisation: its schema name."""
    return current_schema()


def evidence_refs(record: CandidateFileRecord, references: Iterable[str] | None = None) -> dict[str, EvidenceRef]:
    """The file's accepted uploaded evidence (all, or those among ``references``) as kernel items, by reference."""
    pieces = Evidence.objects.filter(file=record, review_status=ReviewStatus.ACCEPTED)  # issue 13 §4: to the jury
    if references is not None:
        pieces = pieces.filter(uid__in=[ref for ref in references if _is_uuid(ref)])
    return {
        str(uid): EvidenceRef(str(uid), kind_of_content_type(content_type), content_type, title, criterion)
        for uid, content_type, title, criterion in pieces.values_list("uid", "content_type", "title", "criterion")
    }


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def files_with_history() -> QuerySet[CandidateFileRecord]:
    """Files with what the kernel needs except criterion results (see :func:`load_file`)."""
    return CandidateFileRecord.objects.select_related("candidate", "counsellor").prefetch_related(
        "evaluations",
        Prefetch("paths", queryset=TrainingPathRecord.objects.prefetch_related("sessions")),
        "decisions",
        "evidence",
    )


RESULT_COLUMNS = ("evaluation_id", "criterion", "acquired", "evaluated_on", "evaluator_ref", "evidence", "comment")


def load_file(file_id: int) -> tuple[CandidateFileRecord, CandidateFile]:
    """One file and its kernel view, in a fixed number of queries whatever the number of evaluations.

    Criterion results are read as plain rows rather than model instances: a file holds hundreds of them
    and they are only ever turned into kernel objects.
    """
    record = files_with_history().get(pk=file_id)
    results: dict[int, list[CriterionResult]] = {}
    rows = CriterionResultRecord.objects.filter(evaluation__file_id=file_id).order_by("criterion")
    for evaluation_id, criterion, acquired, evaluated_on, evaluator, evidence, comment in rows.values_list(
        *RESULT_COLUMNS
    ):
        results.setdefault(evaluation_id, []).append(
            CriterionResult(criterion, acquired, evaluated_on, evaluator, tuple(evidence), comment)
        )
    return record, to_kernel(record, results)


def _evaluation(record: EvaluationRecord, referential_id: str, results: list[CriterionResult]) -> Evaluation:
    return Evaluation(
        kind=EvaluationKind(record.kind),
        referential_id=referential_id,
        evaluator=record.evaluator_ref,
        days=tuple(record.days),
        results=tuple(results),
        modality=record.modality,
        organisation=record.organisation,
    )


def _path(record: TrainingPathRecord) -> TrainingPath:
    return TrainingPath(
        trainer=record.trainer_ref,
        training_organisation=record.training_organisation,
        objectives=tuple(Objective(o["subdomain"], tuple(o["criteria"])) for o in record.objectives),
        sessions=tuple(
            TrainingSession(s.starts_on, s.ends_on, tuple(s.subdomains), s.label) for s in record.sessions.all()
        ),
    )


def _decision(record: DecisionRecord) -> Decision:
    return Decision(
        kind=DecisionKind(record.kind),
        actor=Actor(record.actor_ref, record.actor_role, record.actor_organisation),
        at=record.at,
        referential_id=record.referential_id,
        from_state=FileState(record.from_state) if record.from_state else None,
        to_state=FileState(record.to_state),
        detail=dict(record.detail),
    )


def decision_from_record(record: DecisionRecord) -> Decision:
    """The kernel :class:`Decision` a stored decision row stands for."""
    return _decision(record)


def to_kernel(record: CandidateFileRecord, results: dict[int, list[CriterionResult]]) -> CandidateFile:
    """The kernel view of a file loaded through :func:`files_with_history` (no further query)."""
    evaluations = [
        (e.archived, _evaluation(e, record.referential_id, results.get(e.pk, []))) for e in record.evaluations.all()
    ]
    referral = (
        Referral(PrescriberType(record.prescriber_type), record.prescriber_name, record.referred_on or date.min)
        if record.prescriber_type
        else None
    )
    consent = Consent(record.consent_purpose, record.consent_given_on) if record.consent_given_on else None
    return CandidateFile(
        file_id=str(record.pk),
        candidate=str(record.candidate.pseudonym),
        organisation=organisation_ref(),
        referential_id=record.referential_id,
        state=FileState(record.state),
        referral=referral,
        consent=consent,
        evaluations=tuple(e for archived, e in evaluations if not archived),
        archived_evaluations=tuple(e for archived, e in evaluations if archived),
        paths=tuple(_path(p) for p in record.paths.all()),
        decisions=tuple(_decision(d) for d in record.decisions.all()),
    )


def decision_record(file: CandidateFileRecord, decision: Decision) -> DecisionRecord:
    return DecisionRecord(
        file=file,
        kind=decision.kind.value,
        actor_ref=decision.actor.id,
        actor_role=decision.actor.role,
        actor_organisation=decision.actor.organisation,
        at=decision.at,
        referential_id=decision.referential_id,
        from_state=decision.from_state.value if decision.from_state else "",
        to_state=decision.to_state.value,
        detail=dict(decision.detail),
    )


def save_evaluation(file: CandidateFileRecord, evaluation: Evaluation, archived: bool = False) -> EvaluationRecord:
    record = EvaluationRecord.objects.create(
        file=file,
        kind=evaluation.kind.value,
        evaluator_ref=evaluation.evaluator,
        evaluator_id=user_id_from_ref(evaluation.evaluator),
        archived=archived,
        organisation=evaluation.organisation,
        days=list(evaluation.days),
        modality=evaluation.modality,
    )
    CriterionResultRecord.objects.bulk_create(
        CriterionResultRecord(
            evaluation=record,
            criterion=r.criterion,
            acquired=r.acquired,
            evaluated_on=r.evaluated_on,
            evaluator_ref=r.evaluator,
            comment=r.comment,
            evidence=list(r.evidence),
        )
        for r in evaluation.results
    )
    return record


def save_path(file: CandidateFileRecord, path: TrainingPath) -> TrainingPathRecord:
    record = TrainingPathRecord.objects.create(
        file=file,
        trainer_ref=path.trainer,
        trainer_id=user_id_from_ref(path.trainer),
        training_organisation=path.training_organisation,
        objectives=[{"subdomain": o.subdomain, "criteria": list(o.criteria)} for o in path.objectives],
    )
    save_sessions(record, path.sessions)
    return record


def save_sessions(record: TrainingPathRecord, sessions: Iterable[TrainingSession]) -> None:
    TrainingSessionRecord.objects.bulk_create(
        TrainingSessionRecord(
            path=record, starts_on=s.starts_on, ends_on=s.ends_on, subdomains=list(s.subdomains), label=s.label
        )
        for s in sessions
    )
