"""Builders shared by the kernel tests: actors, evaluations, small referentials, a file walked to a state.

Plain functions (no pytest fixtures) so that Hypothesis tests can call them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from clea.kernel.clock import FixedClock
from clea.kernel.errors import DomainError
from clea.kernel.journey import (
    Actor,
    CandidateFile,
    Consent,
    FileState,
    PrescriberType,
    Referral,
    TrainingPath,
    TrainingSession,
    expire,
    open_file,
    propose_training_path,
    record_final_evaluation,
    record_initial_evaluation,
    record_jury_outcome,
    submit_to_jury,
    suggest_calendar,
    transfer_out,
    welcome,
    withdraw,
)
from clea.kernel.journey.training import objectives_from_gaps
from clea.kernel.jury import certificate_number
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind, compute_mastery
from clea.kernel.referential import Referential, default_referential, parse_referential

ORG = "org-greta-nord"
OTHER_ORG = "org-afpa-sud"
TRAINING_ORG = "org-formation-plus"

COUNSELLOR = Actor("counsellor-1", "counsellor", ORG)
EVALUATOR = Actor("evaluator-1", "evaluator", ORG)
SECOND_EVALUATOR = Actor("evaluator-2", "evaluator", ORG)
TRAINER = Actor("trainer-1", "trainer", ORG)  # same organisation as the evaluator: allowed (R7)
SECOND_TRAINER = Actor("trainer-2", "trainer", TRAINING_ORG)
JURY_SECRETARY = Actor("jury-secretary", "jury", "federation")
OTHER_COUNSELLOR = Actor("counsellor-9", "counsellor", OTHER_ORG)

REFERRAL = Referral(PrescriberType.FRANCE_TRAVAIL, "France Travail Lille", date(2026, 1, 2))
FORBIDDEN_WORDS_FR = ("échec", "échoué", "echec", "echoue")


def consent(on: date, purpose: str = "ouverture du dossier CléA") -> Consent:
    return Consent(purpose=purpose, given_on=on)


# --------------------------------------------------------------------------------------------------- errors


def check_error(error: DomainError, code: str, rule: str | None = None) -> None:
    """Every refusal: stable code, the rule when one applies, both messages, never worded as a failure."""
    assert error.code == code, f"expected {code}, got {error.code}: {error.message_en}"
    if rule is not None:
        assert error.rule == rule, f"{code}: expected rule {rule}, got {error.rule}"
    assert error.message_fr.strip()
    assert error.message_en.strip()
    lowered = error.message_fr.lower()
    assert not any(word in lowered for word in FORBIDDEN_WORDS_FR), error.message_fr
    assert error.as_dict()["code"] == code


@contextmanager
def refused(code: str, rule: str | None = None) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    with pytest.raises(DomainError) as info:
        yield info
    check_error(info.value, code, rule)


# ---------------------------------------------------------------------------------------------- referentials


def referential_document(sizes: Iterable[Iterable[int]], **root: Any) -> dict[str, Any]:
    """A synthetic referential: ``sizes[d][s]`` criteria in sub-domain ``s`` of domain ``d`` (codes D.S.C)."""
    domains = []
    for d, subsizes in enumerate(sizes, start=1):
        subdomains = []
        for s, size in enumerate(subsizes, start=1):
            criteria = [{"code": f"{d}.{s}.{c}", "title": f"Critère {d}.{s}.{c}"} for c in range(1, size + 1)]
            subdomains.append({"code": f"{d}.{s}", "title": f"Sous-domaine {d}.{s}", "criteria": criteria})
        domains.append({"code": str(d), "title": f"Domaine {d}", "subdomains": subdomains})
    return {"code": "TEST", "title": "Référentiel d'essai", **root, "domains": domains}


def referential_from(document: dict[str, Any], source: str = "test.yaml") -> Referential:
    return parse_referential(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), source)


def other_version(referential: Referential | None = None) -> Referential:
    """Same code as the default CléA referential, one criterion title changed: another version."""
    from importlib import resources

    text = resources.files("clea.kernel.referential").joinpath("data", "clea-socle.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    document["domains"][0]["subdomains"][0]["criteria"][0]["title"] += " (v2)"
    return referential_from(document, "clea-socle-v2.yaml")


def criteria_of(referential: Referential, *subdomains: str) -> frozenset[str]:
    wanted = set(subdomains)
    return frozenset(code for code, sub in referential.subdomain_of_criterion.items() if sub in wanted)


def all_but(referential: Referential, *subdomains: str) -> frozenset[str]:
    """Every criterion acquired except every criterion of the given sub-domains."""
    return referential.criterion_codes - criteria_of(referential, *subdomains)


# ----------------------------------------------------------------------------------------------- evaluations


def make_evaluation(
    referential: Referential,
    acquired: Iterable[str],
    on: date,
    *,
    criteria: Iterable[str] | None = None,
    kind: EvaluationKind = EvaluationKind.INITIAL,
    evaluator: str = EVALUATOR.id,
    organisation: str = ORG,
    referential_id: str | None = None,
) -> Evaluation:
    """One result per criterion of ``criteria`` (default: all of the referential), acquired iff in ``acquired``."""
    acquired = frozenset(acquired)
    codes = sorted(referential.criterion_codes if criteria is None else set(criteria))
    results = tuple(
        CriterionResult(
            criterion=code,
            acquired=code in acquired,
            evaluated_on=on,
            evaluator=evaluator,
            evidence=(f"preuve-{code}",) if code in acquired else (),
            comment="Point d'appui" if code in acquired else "À travailler",
        )
        for code in codes
    )
    return Evaluation(
        kind=kind,
        referential_id=referential.identity if referential_id is None else referential_id,
        evaluator=evaluator,
        days=(on,),
        results=results,
        modality="mise-en-situation",
        organisation=organisation,
    )


def initial_evaluation(referential: Referential, acquired: Iterable[str], on: date, **kw: Any) -> Evaluation:
    return make_evaluation(referential, acquired, on, kind=EvaluationKind.INITIAL, **kw)


def final_evaluation(
    referential: Referential, path: TrainingPath, acquired: Iterable[str], on: date, **kw: Any
) -> Evaluation:
    """A final evaluation covering exactly the path's objectives (R9)."""
    kw.setdefault("evaluator", SECOND_EVALUATOR.id)
    return make_evaluation(referential, acquired, on, kind=EvaluationKind.FINAL, criteria=path.objective_criteria, **kw)


def calendar_for(file: CandidateFile, referential: Referential, starts_on: date) -> tuple[TrainingSession, ...]:
    """The suggested calendar for the file's current gaps."""
    return suggest_calendar(objectives_from_gaps(compute_mastery(referential, file.evaluations)), starts_on)


# ---------------------------------------------------------------------------------------------- the journey

ORDER = (
    FileState.REFERRED,
    FileState.FILE_OPENED,
    FileState.EVALUATED,
    FileState.TRAINING,
    FileState.READY_FOR_JURY,
    FileState.SUBMITTED,
    FileState.CERTIFIED,
)


def walk_to(
    target: FileState,
    referential: Referential | None = None,
    clock: FixedClock | None = None,
    *,
    gaps: tuple[str, ...] = ("4.2", "6.1"),
    file_id: str = "file-1",
) -> CandidateFile:
    """Walk a new file through the real transitions to ``target``; the clock moves one day per step.

    With ``gaps`` the évaluation préalable leaves those sub-domains unacquired (training needed); reaching
    READY_FOR_JURY and beyond then goes through a path and a final evaluation that acquires everything.
    ``REFUSED``, ``WITHDRAWN``, ``TRANSFERRED`` and ``EXPIRED`` branch off the main line.
    """
    referential = referential or default_referential()
    clock = clock or FixedClock()

    def step() -> date:
        clock.advance(days=1)
        return clock.today()

    file = welcome(file_id, "candidate-1", ORG, referential, COUNSELLOR, clock, REFERRAL).file
    if target is FileState.REFERRED:
        return file
    if target is FileState.WITHDRAWN:
        return withdraw(file, "no_longer_wishes", COUNSELLOR, clock).file
    file = open_file(file, consent(step()), COUNSELLOR, clock).file
    if target is FileState.FILE_OPENED:
        return file
    if target is FileState.TRANSFERRED:
        return transfer_out(file, OTHER_ORG, consent(step(), "transfert"), COUNSELLOR, clock).file
    evaluation = initial_evaluation(referential, all_but(referential, *gaps), step())
    file = record_initial_evaluation(file, evaluation, referential, EVALUATOR, clock).file
    if target is FileState.EVALUATED or file.state is target:
        return file
    if file.state is FileState.EVALUATED:
        sessions = calendar_for(file, referential, step())
        file = propose_training_path(file, TRAINER.id, ORG, sessions, referential, COUNSELLOR, clock).file
        if target is FileState.TRAINING:
            return file
        if target is FileState.EXPIRED:
            deadline = file.deadline
            assert deadline is not None
            clock.current = clock.current + (deadline - clock.today()) + timedelta(days=1)
            return expire(file, COUNSELLOR, clock).file
        path = file.current_path
        assert path is not None
        clock.current += timedelta(days=60)
        evaluation = final_evaluation(referential, path, path.objective_criteria, clock.today())
        file = record_final_evaluation(file, evaluation, referential, SECOND_EVALUATOR, clock).file
    assert file.state is FileState.READY_FOR_JURY
    if target is FileState.READY_FOR_JURY:
        return file
    step()
    file = submit_to_jury(file, referential, COUNSELLOR, clock).file
    if target is FileState.SUBMITTED:
        return file
    step()
    if target is FileState.REFUSED:
        return record_jury_outcome(file, "refused", referential, JURY_SECRETARY, clock, reasons="Fraude avérée").file
    assert target is FileState.CERTIFIED, target
    number = certificate_number(clock.today().year, 1)
    return record_jury_outcome(file, "certified", referential, JURY_SECRETARY, clock, certificate_number=number).file
