"""Sample inputs for every hook, built from the default CléA referential (or the one given)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from clea.kernel.evidence import DOCUMENT, PHOTO, EvidenceRef, evidence_items
from clea.kernel.journey import Actor, Decision, DecisionKind, FileState, Objective, objectives_from_gaps
from clea.kernel.jury import JurySnapshot
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind, compute_mastery
from clea.kernel.referential import Referential, default_referential
from clea_plugins.types import CandidateProfile, Modality

SAMPLE_START = date(2026, 3, 2)  # a Monday
SAMPLE_ORGANISATION = "greta-exemple"
SAMPLE_EVALUATOR = "evaluateur-1"

__all__ = [
    "SAMPLE_EVIDENCE",
    "SAMPLE_ORGANISATION",
    "SAMPLE_START",
    "default_referential",
    "sample_decisions",
    "sample_evaluation",
    "sample_objectives",
    "sample_profile",
    "sample_snapshot",
    "used_modalities",
]


def sample_profile(max_minutes_per_day: int = 360, on_site_possible: bool = True) -> CandidateProfile:
    return CandidateProfile(
        reference="candidat-exemple",
        job_title="Agent polyvalent",
        max_minutes_per_day=max_minutes_per_day,
        on_site_possible=on_site_possible,
    )


def sample_evaluation(
    referential: Referential | None = None,
    *,
    subdomains: Sequence[str] | None = None,
    acquired: frozenset[str] | None = None,
    modality: str = "",
    referential_id: str | None = None,
) -> Evaluation:
    """An évaluation préalable over every criterion of ``subdomains`` (all by default).

    ``acquired`` lists the acquired criteria (all of them by default).
    """
    referential = referential or default_referential()
    wanted = set(subdomains) if subdomains is not None else None
    results = tuple(
        CriterionResult(
            criterion=criterion.code,
            acquired=acquired is None or criterion.code in acquired,
            evaluated_on=SAMPLE_START,
            evaluator=SAMPLE_EVALUATOR,
            evidence=(f"preuve:{criterion.code}",),
        )
        for _, sub, criterion in referential.iter_criteria()
        if wanted is None or sub.code in wanted
    )
    return Evaluation(
        kind=EvaluationKind.INITIAL,
        referential_id=referential_id or referential.identity,
        evaluator=SAMPLE_EVALUATOR,
        days=(SAMPLE_START,),
        results=results,
        modality=modality,
        organisation=SAMPLE_ORGANISATION,
    )


def used_modalities(
    evaluation: Evaluation, referential: Referential, catalogue: Sequence[Modality]
) -> tuple[Modality, ...]:
    """The catalogue's modalities of every sub-domain the evaluation touches."""
    touched = {referential.subdomain_of_criterion[r.criterion] for r in evaluation.results}
    return tuple(modality for modality in catalogue if modality.subdomain in touched)


def sample_objectives(referential: Referential | None = None) -> tuple[Objective, ...]:
    """The gaps of a candidate who acquired the first criterion of every sub-domain only."""
    referential = referential or default_referential()
    acquired = frozenset(sub.criteria[0].code for _, sub in referential.iter_subdomains() if sub.criteria)
    report = compute_mastery(referential, [sample_evaluation(referential, acquired=acquired)])
    return objectives_from_gaps(report)


SAMPLE_EVIDENCE: dict[str, EvidenceRef] = {
    "3f2c8a4e-0d6b-4c1e-9a57-2b8e6f1d0c93": EvidenceRef(
        "3f2c8a4e-0d6b-4c1e-9a57-2b8e6f1d0c93", DOCUMENT, "application/pdf", "Fiche d'inventaire", "2.1.1"
    ),
    "9b1e7d20-5c3a-4f8e-b6d4-7a0c2e9f1b58": EvidenceRef(
        "9b1e7d20-5c3a-4f8e-b6d4-7a0c2e9f1b58", PHOTO, "image/jpeg", "Photo du poste de travail", "7.1.1"
    ),
}
"""Uploaded pieces as the platform describes them (reference → :class:`~clea.kernel.evidence.EvidenceRef`)."""


def sample_snapshot(
    referential: Referential | None = None,
    evidence: tuple[str, ...] = (),
    known_evidence: dict[str, EvidenceRef] | None = None,
) -> JurySnapshot:
    """A jury snapshot; ``evidence`` defaults to the two :data:`SAMPLE_EVIDENCE` pieces (a document, a photo).

    ``evidence_items`` describe the references ``known_evidence`` (default :data:`SAMPLE_EVIDENCE`) knows, and
    give the others the kind of their prefix (``obs-btp:12`` → ``obs-btp``), as the platform does.
    """
    referential = referential or default_referential()
    codes = tuple(domain.code for domain in referential.domains)
    evidence = evidence or tuple(SAMPLE_EVIDENCE)
    known = SAMPLE_EVIDENCE if known_evidence is None else known_evidence
    return JurySnapshot(
        file_ref="DOSSIER-2026-0001",
        candidate_name="Camille Exemple",
        referential_id=referential.identity,
        domains_mastered=codes,
        domains_total=codes,
        evaluating_organisations=frozenset({SAMPLE_ORGANISATION}),
        training_organisations=frozenset({"organisme-formation-exemple"}),
        evidence=evidence,
        evidence_items=evidence_items(evidence, known),
    )


_TO_STATE: dict[DecisionKind, tuple[FileState | None, FileState]] = {
    DecisionKind.WELCOMED: (None, FileState.REFERRED),
    DecisionKind.FILE_OPENED: (FileState.REFERRED, FileState.FILE_OPENED),
    DecisionKind.INITIAL_EVALUATION: (FileState.FILE_OPENED, FileState.EVALUATED),
    DecisionKind.TRAINING_PATH: (FileState.EVALUATED, FileState.TRAINING),
    DecisionKind.TRAINING_PATH_ADJUSTED: (FileState.TRAINING, FileState.TRAINING),
    DecisionKind.FINAL_EVALUATION: (FileState.TRAINING, FileState.READY_FOR_JURY),
    DecisionKind.SUBMITTED: (FileState.READY_FOR_JURY, FileState.SUBMITTED),
    DecisionKind.JURY_DECISION: (FileState.SUBMITTED, FileState.CERTIFIED),
    DecisionKind.WITHDRAWN: (FileState.TRAINING, FileState.WITHDRAWN),
    DecisionKind.TRANSFERRED_OUT: (FileState.TRAINING, FileState.TRANSFERRED),
    DecisionKind.TRANSFERRED_IN: (None, FileState.TRAINING),
    DecisionKind.EXPIRED: (FileState.TRAINING, FileState.EXPIRED),
    DecisionKind.RESTARTED: (FileState.EXPIRED, FileState.FILE_OPENED),
}


def sample_decisions(referential: Referential | None = None) -> tuple[Decision, ...]:
    """One decision of every kind, as the journey records them."""
    referential = referential or default_referential()
    actor = Actor(SAMPLE_EVALUATOR, "evaluator", SAMPLE_ORGANISATION)
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    return tuple(
        Decision(kind, actor, at, referential.identity, *_TO_STATE.get(kind, (None, FileState.REFERRED)))
        for kind in DecisionKind
    )
