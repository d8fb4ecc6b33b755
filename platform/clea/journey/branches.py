"""Per-tenant dispatch to the branch plugins, and the branch rules applied to evaluations (R3).

:func:`tenant_branches` gives the :class:`~clea_plugins.manager.BranchCaller` of the organisation the connection
is routed to: only the branches it is accredited for (public schema ``Accreditation`` rows) answer. One cheap
query per call reads the organisation's ``accreditation_version`` *and* its active branch codes together; the
caller itself is cached by the plugin host per ``(codes, version)``. (Caching the codes by ``(schema,
version)`` alone would be wrong after a rolled-back accreditation change: the version number is then reused
for another set of codes.)

What an evaluation's ``modality`` may be (``Evaluation.modality``, stored as given, normalised):

* a branch code the organisation is accredited for (``btp``): the branch's modalities for the evaluated
  sub-domains are the ones used;
* one or more modality keys of one accredited branch, comma-separated
  (``btp:7.2:observation_en_situation_de_travail``): exactly those modalities are used; each names a
  sub-domain the branch covers and a known method. A method the branch's catalogue does not list for that
  sub-domain (``btp:7.2:entretien``) is passed to the branch's rules as the method actually used, so a rule on
  the method refuses it (``branch_rule``) rather than the platform answering "unknown modality";
* empty: allowed only when the organisation is accredited for exactly one branch, which is then used and
  stored (``btp``); with several, the evaluator must choose (``modality_required``).

An organisation without any active accreditation cannot record an evaluation (``no_accredited_branch``):
every evaluation uses a modality of an accredited branch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q

from clea.kernel.errors import DomainError
from clea.kernel.journey import Decision, Transition
from clea.kernel.jury import JurySnapshot
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.manager import BranchCaller, branch_caller
from clea_plugins.types import Method, Modality, Severity, TaskEnqueuer, ValidationIssue
from clea_tenants.models import Organisation
from clea_tenants.schemas import current_schema, current_tenant

logger = logging.getLogger(__name__)

PUBLIC_SCHEMA = "public"
KEY_SEPARATOR = ","
WARNINGS_DETAIL = "branch_warnings"  # decision detail key holding the branch's warnings (French, one per line)

_pinned: ContextVar[tuple[str, BranchCaller] | None] = ContextVar("clea_pinned_branches", default=None)


# -------------------------------------------------------------------------------------------------
# The caller of the current tenant
# -------------------------------------------------------------------------------------------------


def accreditation_state(schema_name: str) -> tuple[frozenset[str], int]:
    """Active branch codes and accreditation version of the organisation owning ``schema_name`` (one query)."""
    row = (
        Organisation.objects.filter(schema_name=schema_name)
        .annotate(
            codes=ArrayAgg(
                "accreditations__branch__code",
                filter=Q(accreditations__revoked_at__isnull=True),
                distinct=True,
            )
        )
        .values_list("accreditation_version", "codes")
        .first()
    )
    if row is None:
        return frozenset(), 0
    version, codes = row
    return frozenset(code for code in (codes or ()) if code), int(version)


def tenant_branches() -> BranchCaller:
    """The branch plugins of the organisation the connection is routed to (none for the public schema)."""
    schema = current_schema()
    pinned = _pinned.get()
    if pinned is not None and pinned[0] == schema:
        return pinned[1]
    if schema == PUBLIC_SCHEMA:
        return branch_caller(frozenset(), 0)
    codes, version = accreditation_state(schema)
    return branch_caller(codes, version)


@contextmanager
def pinned_branches() -> Iterator[BranchCaller]:
    """One journey action: :func:`tenant_branches` answers this caller inside the block, without a new query."""
    caller = tenant_branches()
    token = _pinned.set((current_schema(), caller))
    try:
        yield caller
    finally:
        _pinned.reset(token)


# -------------------------------------------------------------------------------------------------
# Errors (kernel DomainError: HTTP 400 through clea.api.errors)
# -------------------------------------------------------------------------------------------------


def _listed(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


class NoAccreditedBranch(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "no_accredited_branch",
            "R3",
            "Cet organisme n'est habilité pour aucune branche : aucune évaluation ne peut être enregistrée. "
            "La fédération accorde les habilitations.",
            "This organisation is accredited for no branch: no evaluation can be recorded. "
            "The federation grants accreditations.",
        )


class ModalityRequired(DomainError):
    def __init__(self, accredited: frozenset[str]) -> None:
        super().__init__(
            "modality_required",
            "R3",
            f"Indiquez la modalité d'évaluation : une branche habilitée ({_listed(accredited)}) ou une clé de "
            "modalité (voir /api/branches/modalities/).",
            f"Give the evaluation modality: an accredited branch ({_listed(accredited)}) or a modality key "
            "(see /api/branches/modalities/).",
        )


class ModalityNotAccredited(DomainError):
    def __init__(self, branch: str, accredited: frozenset[str]) -> None:
        super().__init__(
            "modality_not_accredited",
            "R3",
            f"La modalité d'évaluation relève de la branche « {branch} », pour laquelle l'organisme n'est pas "
            f"habilité (habilitations : {_listed(accredited)}).",
            f"The evaluation modality belongs to branch {branch!r}, which the organisation is not accredited for "
            f"(accredited: {_listed(accredited)}).",
        )
        self.branch = branch


class UnknownModality(DomainError):
    def __init__(self, branch: str, keys: Sequence[str], referential: Referential) -> None:
        shown = ", ".join(keys)
        super().__init__(
            "modality_unknown",
            "R3",
            f"Modalité inconnue de la branche « {branch} » pour le référentiel {referential.identity} : {shown}. "
            "Les modalités disponibles sont listées par /api/branches/modalities/.",
            f"Modality unknown to branch {branch!r} for referential {referential.identity}: {shown}.",
        )


class MixedBranches(DomainError):
    def __init__(self, branches: Iterable[str]) -> None:
        super().__init__(
            "modality_mixed_branches",
            "R3",
            f"Une évaluation suit les modalités d'une seule branche ; reçu : {_listed(branches)}.",
            f"An evaluation follows the modalities of one branch only; got: {_listed(branches)}.",
        )


def issue_dict(issue: ValidationIssue) -> dict[str, object]:
    return {
        "branch": issue.branch,
        "code": issue.code,
        "severity": issue.severity.value,
        "subdomain": issue.subdomain,
        "criteria": list(issue.criteria),
        "detail": issue.message_fr,
        "detail_en": issue.message_en,
    }


class BranchRuleViolation(DomainError):
    """The branch's ``clea_validate_evaluation`` returned ``error`` issues: nothing is recorded."""

    def __init__(
        self, branch: str, errors: Sequence[ValidationIssue], warnings: Sequence[ValidationIssue] = ()
    ) -> None:
        super().__init__(
            "branch_rule",
            None,
            f"Règles de la branche « {branch} » non respectées : " + " ; ".join(i.message_fr for i in errors),
            f"Rules of branch {branch!r} not met: " + "; ".join(i.message_en for i in errors),
        )
        self.branch = branch
        self.errors = tuple(errors)
        self.warnings = tuple(warnings)

    def extra_payload(self) -> dict[str, object]:
        """Added to the API error body (see ``clea.api.errors``): the branch and every issue it raised."""
        return {"branch": self.branch, "issues": [issue_dict(i) for i in (*self.errors, *self.warnings)]}


# -------------------------------------------------------------------------------------------------
# Evaluation modality and branch rules
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedModality:
    branch: str
    value: str  # what the evaluation stores
    modalities: tuple[Modality, ...]  # the modalities used, as the branch plugin defines them


def resolve_modality(
    caller: BranchCaller, referential: Referential, text: str, evaluated_subdomains: Iterable[str]
) -> ResolvedModality:
    """Check ``text`` (branch code, modality keys or empty) against the accreditations; see the module doc."""
    accredited = caller.branches
    if not accredited:
        raise NoAccreditedBranch()
    text = text.strip()
    if not text:
        if len(accredited) != 1:
            raise ModalityRequired(accredited)
        text = next(iter(accredited))
    keys = [key.strip() for key in text.split(KEY_SEPARATOR) if key.strip()]
    branches = {key.split(":", 1)[0] for key in keys}
    for branch in sorted(branches):
        if branch not in accredited:
            raise ModalityNotAccredited(branch, accredited)
    if len(branches) != 1:
        raise MixedBranches(branches)
    branch = branches.pop()
    offered = caller.for_branch(branch).evaluation_modalities(referential)
    if keys == [branch]:
        wanted = set(evaluated_subdomains)
        used = tuple(m for m in offered if m.branch == branch and m.subdomain in wanted)
        return ResolvedModality(branch, branch, used)
    by_key = {m.key: m for m in offered if m.branch == branch}
    for key in keys:
        if key not in by_key and (method_used := _with_method_used(key, offered, branch)) is not None:
            by_key[key] = method_used
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise UnknownModality(branch, unknown, referential)
    chosen = list(dict.fromkeys(keys))
    return ResolvedModality(branch, KEY_SEPARATOR.join(chosen), tuple(by_key[key] for key in chosen))


def _with_method_used(key: str, offered: Sequence[Modality], branch: str) -> Modality | None:
    """``branch:sub-domain:method`` for a sub-domain the branch covers, with a method its catalogue does not
    list there: the branch's modality of that sub-domain with the method actually used, so that the branch's
    rules on the method (``clea_validate_evaluation``) judge it instead of an "unknown modality"."""
    _, subdomain, method = [*key.split(":", 2), "", ""][:3]
    base = next((m for m in offered if m.branch == branch and m.subdomain == subdomain), None)
    if base is None or method not in {known.value for known in Method}:
        return None
    return replace(base, method=Method(method))


def check_branch_rules(
    caller: BranchCaller, referential: Referential, evaluation: Evaluation, resolved: ResolvedModality
) -> list[ValidationIssue]:
    """The branch's own rules: raise :class:`BranchRuleViolation` on errors, return the warnings."""
    issues = caller.validate_evaluation(referential, evaluation, resolved.modalities, branch=resolved.branch)
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    warnings = [issue for issue in issues if issue.severity is not Severity.ERROR]
    if errors:
        raise BranchRuleViolation(resolved.branch, errors, warnings)
    return warnings


def with_branch_detail(transition: Transition, branch: str, warnings: Sequence[ValidationIssue]) -> Transition:
    """The transition whose decision also records the branch used and its warnings (R13: the jury sees them)."""
    detail = dict(transition.decision.detail)
    detail["branch"] = branch
    if warnings:
        detail[WARNINGS_DETAIL] = "\n".join(f"[{issue.code}] {issue.message_fr}" for issue in warnings)
    decision = replace(transition.decision, detail=detail)
    decisions = tuple(decision if d is transition.decision else d for d in transition.file.decisions)
    return Transition(replace(transition.file, decisions=decisions), decision)


# -------------------------------------------------------------------------------------------------
# The jury file (R10)
# -------------------------------------------------------------------------------------------------


def jury_sections(caller: BranchCaller, snapshot: JurySnapshot) -> list[dict[str, Any]]:
    """The accredited branches' sections of the jury file, as stored in the submission's snapshot (JSON).

    ``[{"branch": "btp", "branch_name": "Bâtiment…", "title": "…", "lines": ["…"]}]``, by branch code. Each
    branch is asked on its own, so a section whose plugin left ``branch`` empty is still attributed.
    """
    names = {identity.code: identity.name for identity in caller.identities()}
    sections: list[dict[str, Any]] = []
    for code in sorted(caller.branches):
        for section in caller.for_branch(code).jury_file_sections(snapshot):
            sections.append(
                {
                    "branch": code,
                    "branch_name": names.get(code, code),
                    "title": section.title,
                    "lines": list(section.lines),
                }
            )
    return sections


# -------------------------------------------------------------------------------------------------
# Journey events
# -------------------------------------------------------------------------------------------------


def organisation_slug() -> str:
    """The slug of the organisation the connection is routed to (what plugins receive as ``organisation``)."""
    slug = getattr(current_tenant(), "slug", None)  # schema_context() routes with a placeholder tenant
    if slug:
        return str(slug)
    schema = current_schema()
    found = Organisation.objects.filter(schema_name=schema).values_list("slug", flat=True).first()
    return str(found or schema)


def notify_journey_event(
    decision: Decision, caller: BranchCaller | None = None, enqueue: TaskEnqueuer | None = None
) -> None:
    """Call ``clea_journey_event`` of the accredited branches, inside the caller's transaction.

    ``organisation`` is the organisation's slug; ``enqueue`` records a task in the decision's outbox (see
    :mod:`clea.journey.events`). A plugin raising becomes :class:`~clea_plugins.errors.PluginError`: the
    transaction rolls back.
    """
    caller = caller or tenant_branches()
    if caller.branches:
        caller.journey_event(decision, organisation_slug(), enqueue)
