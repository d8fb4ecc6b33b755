"""Transport–logistique's own rules: handling observed in small groups; documents read in context."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clea.kernel.referential import Referential, default_referential
from clea_branch_transport_logistique.hooks import plugin as hooks
from clea_plugins.testkit.samples import sample_evaluation, used_modalities
from clea_plugins.types import Method, Severity


@pytest.fixture
def referential() -> Referential:
    return default_referential()


def used_for(referential: Referential, subdomains: list[str]):  # type: ignore[no-untyped-def]
    evaluation = sample_evaluation(referential, subdomains=subdomains)
    return evaluation, used_modalities(evaluation, referential, hooks.clea_evaluation_modalities(referential))


def test_handling_by_interview_is_an_error(referential: Referential) -> None:
    evaluation, used = used_for(referential, ["7.2"])
    used = tuple(replace(m, method=Method.ENTRETIEN) for m in used)
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [(i.code, i.severity) for i in issues] == [("transport_logistique.handling_observed", Severity.ERROR)]


def test_handling_with_too_many_candidates_is_an_error(referential: Referential) -> None:
    evaluation, used = used_for(referential, ["7.2"])
    used = tuple(replace(m, group_size=8) for m in used)
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [i.code for i in issues] == ["transport_logistique.handling_group_size"]
    assert "8" in issues[0].message_fr


def test_delivery_note_read_on_paper_only_is_a_warning(referential: Referential) -> None:
    evaluation, used = used_for(referential, ["1.3"])
    used = tuple(replace(m, method=Method.EPREUVE_ECRITE) for m in used)
    issues = hooks.clea_validate_evaluation(referential, evaluation, used)
    assert [(i.code, i.severity) for i in issues] == [("transport_logistique.documents_in_context", Severity.WARNING)]


def test_catalogue_reads_a_delivery_note(referential: Referential) -> None:
    reading = [m for m in hooks.clea_evaluation_modalities(referential) if m.subdomain == "1.3"]
    assert any("bon de livraison" in scenario for m in reading for scenario in m.scenarios)
