"""Journey actions (``do_*``): load the file, call one kernel transition, persist, all in one transaction.

No rule is written here: the kernel decides, this module stores. Each action locks the file row and checks
the version the caller read, so a second concurrent writer gets a ``version_conflict`` (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from clea.accounts.models import User
from clea.journey import branches, events, signals
from clea.journey import repository as repo
from clea.journey.accommodations import labels_of as accommodation_labels
from clea.journey.evidence_review import not_accepted as not_accepted_evidence
from clea.journey.models import Candidate, CandidateFileRecord, EvaluationRecord, OpenEvaluationRecord
from clea.kernel import journey as kernel
from clea.kernel.clock import SystemClock
from clea.kernel.errors import DomainError
from clea.kernel.evidence import OTHER, EvidenceRef, evidence_items, kind_of_reference
from clea.kernel.journey import Actor, CandidateFile, Consent, Referral, TrainingSession, Transition
from clea.kernel.journey import dates as kernel_dates
from clea.kernel.jury import snapshot_for_jury
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind, MasteryReport, compute_mastery
from clea.kernel.ports import Clock
from clea.kernel.referential import Referential
from clea.referentials.registry import default_referential, get_referential
from clea_plugins.manager import BranchCaller
from clea_tenants.habilitations import check_evaluation_days
from clea_tenants.training_bodies import name_from_register

SYSTEM_CLOCK: Clock = SystemClock()


@dataclass(frozen=True)
class Loaded:
    record: CandidateFileRecord
    file: CandidateFile

    @property
    def referential(self) -> Referential:
        return get_referential(self.record.referential_id)


def actor_for(user: User) -> Actor:
    return Actor(repo.user_ref(user.pk), user.role, repo.organisation_ref())


def load(file_id: int) -> Loaded:
    record, file = repo.load_file(file_id)
    return Loaded(record, file)


def lock_file(file_id: int, expected_version: int | None) -> Loaded:
    """Lock the file row, check the caller's version, and load its history."""
    current = CandidateFileRecord.objects.select_for_update().filter(pk=file_id).values_list("version", flat=True)
    version = current.first()
    if version is None:
        raise CandidateFileRecord.DoesNotExist
    if expected_version is not None and version != expected_version:
        raise DomainError(
            "version_conflict",
            None,
            "Ce dossier a été modifié entre-temps par quelqu'un d'autre : rechargez-le avant de recommencer.",
            f"The file changed meanwhile (version {version}, you sent {expected_version}): reload it first.",
        )
    return load(file_id)


def apply_transition(loaded: Loaded, transition: Transition) -> Loaded:
    """Store the transition's new state and decision; the returned view needs no reload to be shown."""
    record = loaded.record
    record.state = transition.file.state.value
    record.deadline = transition.file.deadline
    record.version += 1
    record.save(update_fields=["state", "deadline", "version", "updated_at"])
    decision = repo.decision_record(record, transition.decision)
    decision.save()
    events.emit(record, decision)  # tasks (facts, e-mails, documents) sent after commit
    return Loaded(record, transition.file)


def mastery_of(loaded: Loaded) -> MasteryReport:
    return compute_mastery(loaded.referential, loaded.file.evaluations)


# --- welcome and consent (R1, R2) ----------------------------------------------------------------


def do_refer(
    candidate: Candidate,
    counsellor: User,
    referral: Referral | None,
    clock: Clock = SYSTEM_CLOCK,
    referential: Referential | None = None,
) -> Loaded:
    referential = referential or default_referential()
    with transaction.atomic():
        record = CandidateFileRecord.objects.create(
            candidate=candidate,
            referential_id=referential.identity,
            state=kernel.FileState.REFERRED.value,
            counsellor=counsellor,
            prescriber_type=referral.prescriber_type.value if referral else "",
            prescriber_name=referral.prescriber_name if referral else "",
            referred_on=referral.referred_on if referral else None,
        )
        transition = kernel.welcome(
            str(record.pk),
            str(candidate.pseudonym),
            repo.organisation_ref(),
            referential,
            actor_for(counsellor),
            clock,
            referral,
        )
        decision = repo.decision_record(record, transition.decision)
        decision.save()
        events.emit(record, decision)
    return Loaded(record, transition.file)


def do_open_file(
    file_id: int, version: int | None, consent: Consent | None, user: User, clock: Clock = SYSTEM_CLOCK
) -> Loaded:
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        transition = kernel.open_file(loaded.file, consent, actor_for(user), clock)
        assert transition.file.consent is not None
        loaded.record.consent_purpose = transition.file.consent.purpose
        loaded.record.consent_given_on = transition.file.consent.given_on
        loaded.record.save(update_fields=["consent_purpose", "consent_given_on"])
        return apply_transition(loaded, transition)


# --- evaluations (R3–R5, R7, R9) -----------------------------------------------------------------


@dataclass(frozen=True)
class ResultInput:
    criterion: str
    acquired: bool
    comment: str = ""
    evidence: tuple[str, ...] = ()
    evaluated_on: date | None = None


def do_record_evaluation(
    file_id: int,
    version: int | None,
    kind: EvaluationKind,
    evaluator: User,
    days: Sequence[date],
    results: Sequence[ResultInput],
    user: User,
    modality: str = "",
    clock: Clock = SYSTEM_CLOCK,
) -> Loaded:
    """Record an evaluation (R3/R9) using ``modality``: an accredited branch or modality keys of one.

    ``modality`` is checked against the organisation's accreditations, then the branch plugin's rules run
    (``clea_validate_evaluation``): an ``error`` issue refuses the evaluation (``branch_rule``), warnings are kept
    in the decision's detail. See :mod:`clea.journey.branches`.
    """
    evaluator_ref = repo.user_ref(evaluator.pk)
    last_day = max(days) if days else clock.today()
    with transaction.atomic(), branches.pinned_branches() as caller:  # one accreditation query per action
        loaded = lock_file(file_id, version)
        if OpenEvaluationRecord.objects.filter(file=loaded.record, closed_at__isnull=True).exists():
            raise DomainError(
                "evaluation_open_conflict",
                "R3",
                "Une évaluation est en cours de saisie par séances sur ce dossier : complétez-la puis clôturez-la.",
                "An evaluation is being entered sitting by sitting on this file: complete it, then close it.",
            )
        subdomains = {loaded.referential.subdomain_of_criterion.get(r.criterion, "") for r in results} - {""}
        resolved = branches.resolve_modality(caller, loaded.referential, modality, subdomains)
        evaluation = Evaluation(
            kind=kind,
            referential_id=loaded.record.referential_id,
            evaluator=evaluator_ref,
            days=tuple(sorted(days)),
            results=tuple(
                CriterionResult(
                    r.criterion, r.acquired, r.evaluated_on or last_day, evaluator_ref, r.evidence, r.comment
                )
                for r in results
            ),
            modality=resolved.value,
            organisation=repo.organisation_ref(),
        )
        evaluation = replace(evaluation, evidence_items=check_evidence_belongs(caller, loaded.record, evaluation))
        record_transition = (
            kernel.record_initial_evaluation if kind is EvaluationKind.INITIAL else kernel.record_final_evaluation
        )
        transition = record_transition(
            loaded.file, evaluation, loaded.referential, actor_for(user), clock, max_span_days()
        )
        check_evaluation_days(days)  # R14: every day (now known coherent) within a valid habilitation (register)
        warnings = branches.check_branch_rules(caller, loaded.referential, evaluation, resolved)
        transition = branches.with_branch_detail(transition, resolved.branch, warnings)
        repo.save_evaluation(loaded.record, evaluation)
        return apply_transition(loaded, transition)


def check_evidence_belongs(
    caller: BranchCaller, record: CandidateFileRecord, evaluation: Evaluation
) -> tuple[EvidenceRef, ...]:
    """Every piece the evaluation cites is on this file (:func:`evidence_on_file`); returns them with their kind,
    for the branch rules."""
    return evidence_on_file(caller, record, [ref for result in evaluation.results for ref in result.evidence])


def evidence_on_file(
    caller: BranchCaller, record: CandidateFileRecord, wanted: Sequence[str]
) -> tuple[EvidenceRef, ...]:
    """``wanted`` as evidence items: each an uploaded piece of this file, or a record of an accredited branch's
    own app (``obs-btp:12``, described by ``clea_evidence_items``); any other reference is ``unknown_evidence``."""
    if not wanted:
        return ()
    pending = not_accepted_evidence(record, list(wanted))
    if pending:  # issue 13 §4: only accepted pieces are cited, so only they reach the jury
        raise DomainError(
            "evidence_not_accepted",
            "R6",
            f"Preuves non acceptées (à examiner ou refusées) : {', '.join(pending)}.",
            f"Evidence not accepted (to review or rejected): {', '.join(pending)}.",
        )
    known = repo.evidence_refs(record, wanted)
    branch_records = [ref for ref in wanted if ref not in known and kind_of_reference(ref) != OTHER]
    if branch_records:
        described = caller.evidence_items(str(record.pk), branch_records)
        known |= {item.reference: item for item in described if item.reference in branch_records}
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise DomainError(
            "unknown_evidence",
            None,
            f"Preuves inconnues pour ce dossier : {', '.join(unknown)}.",
            f"Evidence not found on this file: {', '.join(unknown)}.",
        )
    return evidence_items(wanted, known)


def max_span_days() -> int:
    """The longest span of one evaluation's days (setting ``CLEA_EVALUATION_MAX_SPAN_DAYS``, default 90)."""
    return int(getattr(settings, "CLEA_EVALUATION_MAX_SPAN_DAYS", kernel_dates.DEFAULT_MAX_SPAN_DAYS))


# --- training path (R6–R8) -----------------------------------------------------------------------


def suggested_sessions(loaded: Loaded, clock: Clock = SYSTEM_CLOCK) -> tuple[TrainingSession, ...]:
    objectives = kernel.objectives_from_gaps(mastery_of(loaded))
    return kernel.suggest_calendar(objectives, clock.today() + timedelta(days=7))


def do_propose_path(
    file_id: int,
    version: int | None,
    trainer: User,
    training_organisation: str,
    sessions: tuple[TrainingSession, ...] | None,
    user: User,
    clock: Clock = SYSTEM_CLOCK,
) -> Loaded:
    training_organisation = name_from_register(training_organisation)  # R11: the register's body, not a spelling
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        if sessions is None:
            sessions = suggested_sessions(loaded, clock)
        transition = kernel.propose_training_path(
            loaded.file,
            repo.user_ref(trainer.pk),
            training_organisation,
            sessions,
            loaded.referential,
            actor_for(user),
            clock,
        )
        path = transition.file.paths[-1]
        repo.save_path(loaded.record, path)
        return apply_transition(loaded, transition)


def do_adjust_path(
    file_id: int,
    version: int | None,
    trainer: User,
    sessions: tuple[TrainingSession, ...],
    user: User,
    clock: Clock = SYSTEM_CLOCK,
) -> Loaded:
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        transition = kernel.adjust_training_path(
            loaded.file, repo.user_ref(trainer.pk), sessions, actor_for(user), clock
        )
        # The adjusted path is a new record: the former trainer stays on file, so R7 keeps holding.
        repo.save_path(loaded.record, transition.file.paths[-1])
        return apply_transition(loaded, transition)


# --- jury, leaving, expiry (R2, R8, R10) ---------------------------------------------------------


def do_submit(file_id: int, version: int | None, user: User, clock: Clock = SYSTEM_CLOCK) -> Loaded:
    """R10: the file goes to the jury; the snapshot reaches the federation's jury inbox in this transaction."""
    with transaction.atomic(), branches.pinned_branches() as caller:
        loaded = lock_file(file_id, version)
        transition = kernel.submit_to_jury(loaded.file, loaded.referential, actor_for(user), clock)
        snapshot = snapshot_for_jury(
            loaded.file, loaded.referential, loaded.record.candidate.full_name, repo.evidence_refs(loaded.record)
        )
        snapshot = replace(snapshot, accommodations=accommodation_labels(loaded.record.pk))  # R3, issue 13
        sections = branches.jury_sections(caller, snapshot)  # a PluginError rolls the submission back
        received = signals.file_submitted.send(
            CandidateFileRecord,
            snapshot=snapshot,
            candidate_pseudonym=str(loaded.record.candidate.pseudonym),
            branch_sections=sections,
        )
        if not received:
            raise ImproperlyConfigured("No jury inbox is connected to clea.journey.signals.file_submitted.")
        return apply_transition(loaded, transition)


def do_withdraw(
    file_id: int,
    version: int | None,
    reason: str,
    user: User,
    clock: Clock = SYSTEM_CLOCK,
    detail: str = "",
    confirmed_on: date | None = None,
) -> Loaded:
    """R2: the person leaves, for a reason code of the list (``WithdrawalReason``); "other" needs ``detail``."""
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        transition = kernel.withdraw(loaded.file, reason, actor_for(user), clock, detail, confirmed_on)
        return apply_transition(loaded, transition)


def do_expire(file_id: int, actor: Actor, clock: Clock = SYSTEM_CLOCK) -> Loaded:
    with transaction.atomic():
        loaded = lock_file(file_id, None)
        return apply_transition(loaded, kernel.expire(loaded.file, actor, clock))


def do_record_jury_outcome(
    file_id: int,
    outcome: str,
    actor: Actor,
    reasons: str = "",
    certificate_number: str = "",
    clock: Clock = SYSTEM_CLOCK,
) -> Loaded:
    """R12 flowing back from the federation: certified, refused (with reasons) or adjourned."""
    with transaction.atomic():
        loaded = lock_file(file_id, None)
        transition = kernel.record_jury_outcome(
            loaded.file, outcome, loaded.referential, actor, clock, reasons, certificate_number
        )
        return apply_transition(loaded, transition)


def do_restart(
    file_id: int, version: int | None, consent: Consent | None, user: User, clock: Clock = SYSTEM_CLOCK
) -> Loaded:
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        transition = kernel.restart_after_expiry(loaded.file, consent, actor_for(user), clock)
        EvaluationRecord.objects.filter(file=loaded.record).update(archived=True)
        assert transition.file.consent is not None  # the new consent is recorded, as at opening (GDPR)
        loaded.record.consent_purpose = transition.file.consent.purpose
        loaded.record.consent_given_on = transition.file.consent.given_on
        loaded.record.save(update_fields=["consent_purpose", "consent_given_on"])
        return apply_transition(loaded, transition)
