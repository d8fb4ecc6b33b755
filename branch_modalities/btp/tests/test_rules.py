"""BTP's own rules: domain 7 observed in a real work situation; first-aid evidence."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clea.kernel.referential import Referential, default_referential
from clea_branch_btp import rules
from clea_branch_btp.hooks import plugin as hooks
from clea_plugins.testkit.samples import sample_evaluation, used_modalities
from clea_plugins.types import Method, Modality, Severity


@pytest.fixture
def referential() -> Referential:
    return default_referential()


def catalogue(referential: Referential) -> list[Modality]:
    return hooks.clea_evaluation_modalities(referential)


def test_domain7_catalogue_only_uses_real_work_situations(referential: Referential) -> None:
    domain7 = [m for m in catalogue(referential) if m.subdomain.startswith("7.")]
    assert {m.subdomain for m in domain7} == {"7.1", "7.2", "7.3", "7.4"}
    assert all(m.method.is_real_work_situation for m in domain7)


@pytest.mark.parametrize("method", [Method.ENTRETIEN, Method.EPREUVE_ECRITE, Method.EPREUVE_NUMERIQUE])
def test_domain7_by_other_methods_is_an_error(referential: Referential, method: Method) -> None:
    evaluation = sample_evaluation(referential, subdomains=["7.1", "7.2"])
    used = tuple(
        replace(m, method=method) if m.subdomain == "7.2" else m
        for m in used_modalities(evaluation, referential, catalogue(referential))
    )
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [(i.code, i.subdomain, i.severity) for i in issues] == [
        ("btp.domain7_real_situation", "7.2", Severity.ERROR)
    ]
    assert "situation réelle" in issues[0].message_fr


def test_domain7_with_observation_and_simulation_passes(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["7.1", "7.2", "7.3", "7.4"])
    used = used_modalities(evaluation, referential, catalogue(referential))
    assert hooks.clea_validate_evaluation(referential, evaluation, used) == []


def test_rule_ignores_other_domains(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["1.1"])
    interview = (Modality("1.1", Method.ENTRETIEN, ("Entretien",), 15, 1, False, "btp"),)
    assert rules.domain7_in_real_work_situation(referential, evaluation, interview) == []


def test_first_aid_without_evidence_is_a_warning(referential: Referential) -> None:
    evaluation = sample_evaluation(referential, subdomains=["7.3"])
    evaluation = replace(evaluation, results=tuple(replace(r, evidence=()) for r in evaluation.results))
    used = used_modalities(evaluation, referential, catalogue(referential))
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert {i.code for i in issues} == {"btp.first_aid_evidence"}
    assert all(i.severity is Severity.WARNING for i in issues)


def test_jury_section_lists_site_observations() -> None:
    from clea_plugins.testkit.samples import sample_snapshot

    sections = hooks.clea_jury_file_sections(sample_snapshot(evidence=("obs-btp:12", "preuve:1.1.1")))
    assert sections[0].lines[-1] == "Observation sur chantier : 12"


def test_training_offer_prefers_the_specific_hint(referential: Referential) -> None:
    from clea.kernel.journey import Objective

    offers = hooks.clea_training_offer(
        referential, [Objective("7.3", ("7.3.1", "7.3.2")), Objective("7.1", ("7.1.1",))]
    )
    assert [(o.subdomain, o.title, o.hours) for o in offers] == [
        ("7.3", "Sauveteur secouriste du travail (SST)", 10),
        ("7.1", "Prévention des risques sur chantier (gestes et postures, EPI, déchets)", 3),
    ]
