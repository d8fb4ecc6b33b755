"""Propreté's own rules: hygiene on site; digital skills on a device."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clea.kernel.referential import Referential, default_referential
from clea_branch_proprete.hooks import plugin as hooks
from clea_plugins.testkit.samples import sample_evaluation, sample_profile, used_modalities
from clea_plugins.types import Method, Severity


@pytest.fixture
def referential() -> Referential:
    return default_referential()


def test_hygiene_in_a_classroom_is_an_error(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["7.2", "7.3"])
    used = tuple(
        replace(m, on_site=False) if m.subdomain == "7.2" else m
        for m in used_modalities(evaluation, referential, hooks.clea_evaluation_modalities(referential))
    )
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [(i.code, i.subdomain, i.severity) for i in issues] == [("proprete.hygiene_on_site", "7.2", Severity.ERROR)]


def test_first_aid_simulation_may_be_off_site(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["7.3"])
    used = used_modalities(evaluation, referential, hooks.clea_evaluation_modalities(referential))
    assert not used[0].on_site
    assert hooks.clea_validate_evaluation(referential, evaluation, used) == []


def test_digital_skills_by_interview_is_an_error(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["3.4"])
    used = tuple(
        replace(m, method=Method.ENTRETIEN)
        for m in used_modalities(evaluation, referential, hooks.clea_evaluation_modalities(referential))
    )
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [i.code for i in issues] == ["proprete.digital_by_doing"]


def test_plan_puts_site_work_first(referential: Referential) -> None:
    plan = hooks.clea_evaluation_plan(referential, sample_profile(), date(2026, 3, 7))
    assert plan is not None
    assert plan.starts_on.weekday() == 0  # Saturday 7 March 2026 → Monday 9 March
    on_site = [m.on_site for day in plan.days for m in day.modalities]
    assert on_site == sorted(on_site, reverse=True)  # one trip to the client site, then the classroom
    assert all(m.on_site for m in plan.days[0].modalities[:5])


def test_candidate_who_cannot_go_on_site_gets_a_note(referential: Referential) -> None:
    plan = hooks.clea_evaluation_plan(referential, sample_profile(on_site_possible=False), date(2026, 3, 2))
    assert plan is not None
    assert any("7.1" in note for note in plan.notes)
