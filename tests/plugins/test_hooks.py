"""One ``test_hook_<name>`` per hookspec (datasette's pattern), each exercising the three example branches.

The host is loaded from the installed entry points, exactly as at start-up, and every call goes through the
per-tenant caller of an organisation accredited for the one branch under test.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest

from clea.kernel.journey import DecisionKind
from clea.kernel.referential import Referential
from clea_plugins import BranchIdentity, EvaluationPlan, JuryFileSection, Method, Modality, Severity, TrainingOffer
from clea_plugins.manager import PluginHost
from clea_plugins.testkit import (
    sample_decisions,
    sample_evaluation,
    sample_objectives,
    sample_profile,
    sample_snapshot,
    used_modalities,
)

from .conftest import BRANCHES

pytestmark = pytest.mark.parametrize("code", BRANCHES)


def test_hook_clea_branch_identity(installed_host: PluginHost, code: str) -> None:
    identity = installed_host.identities()[code]
    assert isinstance(identity, BranchIdentity)
    assert identity.code == code and identity.version == "0.1.0"
    assert "EXEMPLE" in identity.name
    # firstresult, but gathered per plugin: through a one-branch caller it is that branch's identity
    caller = installed_host.branch_caller(frozenset({code}), 1)
    assert caller.hook.clea_branch_identity() == identity
    assert caller.identities() == [identity]


def test_hook_clea_evaluation_modalities(installed_host: PluginHost, code: str, referential: Referential) -> None:
    modalities = installed_host.branch_caller(frozenset({code}), 1).evaluation_modalities(referential)
    assert {m.subdomain for m in modalities} == set(referential.subdomains_by_code)  # all 28
    assert len(referential.subdomains_by_code) == 28
    assert all(isinstance(m, Modality) and m.branch == code and isinstance(m.method, Method) for m in modalities)
    assert {m.method for m in modalities} >= {Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL, Method.ENTRETIEN}


def test_hook_clea_evaluation_plan(installed_host: PluginHost, code: str, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset({code}), 1)
    plan = caller.evaluation_plan(referential, sample_profile(max_minutes_per_day=180), date(2026, 3, 2), branch=code)
    assert isinstance(plan, EvaluationPlan) and plan.branch == code
    assert plan.subdomains == set(referential.subdomains_by_code)
    assert len(plan.days) >= 3 and all(day.minutes <= 180 for day in plan.days)
    assert all(day.on.weekday() < 5 for day in plan.days)


def test_hook_clea_validate_evaluation(installed_host: PluginHost, code: str, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset({code}), 1)
    catalogue = caller.evaluation_modalities(referential)
    evaluation = sample_evaluation(referential)
    assert [
        issue
        for issue in caller.validate_evaluation(
            referential, evaluation, used_modalities(evaluation, referential, catalogue)
        )
        if issue.severity is Severity.ERROR
    ] == []
    issues = caller.validate_evaluation(referential, evaluation, (), branch=code)
    assert {issue.code for issue in issues} == {f"{code}.no_modality"}
    assert len(issues) == 28 and all(issue.branch == code for issue in issues)


def test_hook_clea_training_offer(installed_host: PluginHost, code: str, referential: Referential) -> None:
    objectives = sample_objectives(referential)
    offers = installed_host.branch_caller(frozenset({code}), 1).training_offer(referential, objectives)
    assert offers and all(isinstance(offer, TrainingOffer) and offer.branch == code for offer in offers)
    assert {offer.subdomain for offer in offers} <= {objective.subdomain for objective in objectives}


def test_hook_clea_jury_file_sections(installed_host: PluginHost, code: str, referential: Referential) -> None:
    sections = installed_host.branch_caller(frozenset({code}), 1).jury_file_sections(sample_snapshot(referential))
    assert sections and all(isinstance(s, JuryFileSection) and s.branch == code and s.lines for s in sections)


def test_hook_clea_evidence_items(installed_host: PluginHost, code: str) -> None:
    """References no branch app of this kind holds are left out (BTP's own records: tests/plugins_platform)."""
    caller = installed_host.branch_caller(frozenset({code}), 1)
    assert caller.evidence_items("12", ["inconnu:1", "obs-btp:abc", "0b1c6c1e-4e0c-4a8e-9a53-1f8f3c1d2e3f"]) == []
    assert caller.evidence_items("12", []) == []


def test_hook_clea_journey_event(
    installed_host: PluginHost, code: str, referential: Referential, caplog: pytest.LogCaptureFixture
) -> None:
    caller = installed_host.branch_caller(frozenset({code}), 1)
    with caplog.at_level(logging.INFO, logger=f"clea.branch.{code}"):
        for decision in sample_decisions(referential):
            caller.journey_event(decision, "greta-exemple")  # returns nothing: reactions only
    reacted = {
        "btp": DecisionKind.INITIAL_EVALUATION,
        "proprete": DecisionKind.TRAINING_PATH,
        "transport_logistique": DecisionKind.SUBMITTED,
    }[code]
    assert [r.name for r in caplog.records] == [f"clea.branch.{code}"]
    assert "greta-exemple" in caplog.records[0].getMessage()
    assert reacted  # each example branch reacts to one kind of decision
