"""Sittings (R3): an évaluation entered over one or several sittings, saved on the server as each is entered.

``do_record_sitting`` stores one sitting (who, when, which day, which criteria) in an *open evaluation* that
any staff member of the organisation may resume, never the candidate's trainer (R7). A later entry for a
criterion is a correction: both are kept, the latest counts. ``do_close_evaluation`` closes it once every
criterion it must cover has a result, records the evaluation through the same kernel transition as a
one-go entry, and only then does mastery move the file on. The kernel decides (:mod:`clea.kernel.journey.sittings`,
:mod:`clea.kernel.journey.dates`); this module stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.journey import branches, services
from clea.journey import repository as repo
from clea.journey.models import OpenEvaluationRecord, SittingEntryRecord, SittingRecord
from clea.kernel import journey as kernel
from clea.kernel.errors import DomainError
from clea.kernel.journey import sittings as ksittings
from clea.kernel.mastery import EvaluationKind
from clea.kernel.ports import Clock
from clea_tenants.habilitations import check_evaluation_days


@dataclass(frozen=True)
class EntryInput:
    criterion: str
    acquired: bool
    comment: str = ""
    evidence: tuple[str, ...] = ()


def current_open(file_id: int) -> OpenEvaluationRecord | None:
    return OpenEvaluationRecord.objects.filter(file_id=file_id, closed_at__isnull=True).first()


def _kernel_open(record: OpenEvaluationRecord) -> ksittings.OpenEvaluation:
    sittings = []
    rows = (
        SittingRecord.objects.filter(open_evaluation=record).prefetch_related("entries").order_by("recorded_at", "id")
    )
    for row in rows:
        entries = tuple(
            ksittings.SittingEntry(e.criterion, e.acquired, e.comment, tuple(e.evidence))
            for e in sorted(row.entries.all(), key=lambda e: e.pk)
        )
        sittings.append(
            ksittings.Sitting(row.day, row.evaluator_ref, repo.user_ref(row.recorded_by_id), row.recorded_at, entries)
        )
    return ksittings.OpenEvaluation(
        EvaluationKind(record.kind),
        record.file.referential_id,
        record.modality,
        repo.organisation_ref(),
        tuple(sittings),
    )


def do_record_sitting(
    file_id: int,
    version: int | None,
    day: date,
    evaluator: User,
    entries: Sequence[EntryInput],
    user: User,
    modality: str = "",
    clock: Clock = services.SYSTEM_CLOCK,
) -> tuple[services.Loaded, OpenEvaluationRecord]:
    """Save one sitting at once; opens the evaluation the file awaits on its first sitting."""
    with transaction.atomic(), branches.pinned_branches() as caller:
        loaded = services.lock_file(file_id, version)
        kind = ksittings.expected_kind(loaded.file)
        record = current_open(file_id)
        if record is None:
            record = OpenEvaluationRecord(
                file=loaded.record, kind=kind.value, modality=modality.strip(), opened_by=user
            )
        elif modality.strip() and modality.strip() != record.modality:
            record.modality = modality.strip()
        subdomains = {loaded.referential.subdomain_of_criterion.get(e.criterion, "") for e in entries} - {""}
        branches.resolve_modality(caller, loaded.referential, record.modality, subdomains)
        opened = (
            _kernel_open(record)
            if record.pk
            else ksittings.OpenEvaluation(kind, loaded.record.referential_id, record.modality, repo.organisation_ref())
        )
        sitting = ksittings.Sitting(
            day,
            repo.user_ref(evaluator.pk),
            repo.user_ref(user.pk),
            clock.now(),
            tuple(ksittings.SittingEntry(e.criterion, e.acquired, e.comment, e.evidence) for e in entries),
        )
        ksittings.add_sitting(loaded.file, opened, sitting, loaded.referential, clock.today(), services.max_span_days())
        check_evaluation_days([day])  # R14: the sitting's day within a valid habilitation of the organisation
        services.evidence_on_file(caller, loaded.record, [ref for e in entries for ref in e.evidence])
        record.save()
        row = SittingRecord.objects.create(
            open_evaluation=record, day=day, evaluator_ref=sitting.evaluator, evaluator=evaluator, recorded_by=user
        )
        SittingEntryRecord.objects.bulk_create(
            SittingEntryRecord(
                sitting=row, criterion=e.criterion, acquired=e.acquired, comment=e.comment, evidence=list(e.evidence)
            )
            for e in entries
        )
        loaded.record.version += 1  # a sitting changes what the file shows: concurrent writers see a conflict
        loaded.record.save(update_fields=["version", "updated_at"])
        return loaded, record


def do_close_evaluation(
    file_id: int, version: int | None, user: User, clock: Clock = services.SYSTEM_CLOCK
) -> services.Loaded:
    """Close the open evaluation (every criterion has a result): record it; mastery now moves the file on."""
    with transaction.atomic(), branches.pinned_branches() as caller:
        loaded = services.lock_file(file_id, version)
        record = current_open(file_id)
        if record is None:
            raise DomainError(
                "no_open_evaluation",
                "R3",
                "Aucune évaluation n'est en cours pour ce dossier : enregistrez d'abord une séance.",
                "No evaluation is open on this file: record a sitting first.",
            )
        opened = _kernel_open(record)
        evaluation = ksittings.close(loaded.file, opened, loaded.referential)
        subdomains = {loaded.referential.subdomain_of_criterion.get(c, "") for c in evaluation.criteria} - {""}
        resolved = branches.resolve_modality(caller, loaded.referential, record.modality, subdomains)
        evaluation = replace(evaluation, modality=resolved.value)
        evaluation = replace(
            evaluation, evidence_items=services.check_evidence_belongs(caller, loaded.record, evaluation)
        )
        record_transition = (
            kernel.record_initial_evaluation
            if evaluation.kind is EvaluationKind.INITIAL
            else kernel.record_final_evaluation
        )
        transition = record_transition(
            loaded.file, evaluation, loaded.referential, services.actor_for(user), clock, services.max_span_days()
        )
        check_evaluation_days(evaluation.days)  # R14, as for an évaluation entered in one go
        warnings = branches.check_branch_rules(caller, loaded.referential, evaluation, resolved)
        transition = branches.with_branch_detail(transition, resolved.branch, warnings)
        saved = repo.save_evaluation(loaded.record, evaluation)
        record.closed_at = timezone.now()
        record.closed_by = user
        record.evaluation = saved
        record.save(update_fields=["closed_at", "closed_by", "evaluation"])
        return services.apply_transition(loaded, transition)


def present_open(record: OpenEvaluationRecord | None, scope: frozenset[str]) -> dict[str, Any]:
    """The open evaluation as the API and the grid show it: sittings, current results, history, what is left.

    With none open, the same shape with ``id`` null and nothing entered.
    """
    if record is None:
        return {
            "id": None,
            "kind": "",
            "modality": "",
            "opened_at": None,
            "days": [],
            "sittings": [],
            "results": {},
            "corrections": {},
            "entered": 0,
            "total": len(scope),
            "missing": sorted(scope),
            "can_close": False,
        }
    opened = _kernel_open(record)
    rows = list(
        SittingRecord.objects.filter(open_evaluation=record)
        .select_related("evaluator", "recorded_by")
        .prefetch_related("entries")
        .order_by("recorded_at", "id")
    )
    current = opened.current()
    history: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        for entry in sorted(row.entries.all(), key=lambda e: e.pk):
            history.setdefault(entry.criterion, []).append(
                {"sitting": row.pk, "day": row.day.isoformat(), "acquired": entry.acquired, "comment": entry.comment}
            )
    missing = opened.missing(scope)
    return {
        "id": record.pk,
        "kind": record.kind,
        "modality": record.modality,
        "opened_at": record.opened_at.isoformat(),
        "days": [d.isoformat() for d in opened.days],
        "sittings": [
            {
                "id": row.pk,
                "day": row.day.isoformat(),
                "evaluator_id": row.evaluator_id,
                "evaluator": row.evaluator.get_full_name() or row.evaluator.username,
                "recorded_by_id": row.recorded_by_id,
                "recorded_at": row.recorded_at.isoformat(),
                "criteria": sorted(e.criterion for e in row.entries.all()),
            }
            for row in rows
        ],
        "results": {
            code: {
                "acquired": r.acquired,
                "evaluated_on": r.evaluated_on.isoformat(),
                "evaluator": r.evaluator,
                "comment": r.comment,
                "evidence": list(r.evidence),
            }
            for code, r in sorted(current.items())
        },
        "corrections": {code: history[code] for code in sorted(opened.corrected())},
        "entered": len(current),
        "total": len(scope),
        "missing": list(missing),
        "can_close": not missing,
    }


def scope_for(loaded: services.Loaded) -> frozenset[str]:
    try:
        kind = ksittings.expected_kind(loaded.file)
    except DomainError:
        return frozenset()
    return ksittings.scope_of(loaded.file, kind, loaded.referential)
