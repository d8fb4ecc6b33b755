"""The SDK conformance suite, run by the BTP plugin on itself."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import clea_branch_btp.hooks
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.testkit.conformance import BranchConformance
from clea_plugins.testkit.samples import sample_evaluation
from clea_plugins.types import Method, Modality


class TestConformance(BranchConformance):
    code = "btp"
    plugin: ClassVar[object] = clea_branch_btp.hooks.plugin

    def wrong_evaluation(
        self, referential: Referential, modalities: list[Modality]
    ) -> tuple[Evaluation, tuple[Modality, ...]]:
        """Domain 7 assessed by interview only: the BTP rule refuses it."""
        evaluation = sample_evaluation(referential, subdomains=["7.2"])
        return evaluation, (Modality("7.2", Method.ENTRETIEN, ("Décrire les gestes",), 20, 1, False, "btp"),)


def test_wrong_evaluation_uses_a_declared_shape() -> None:
    modality = Modality("7.2", Method.ENTRETIEN, ("x",), 20, 1, False, "btp")
    assert replace(modality, method=Method.OBSERVATION_EN_SITUATION_DE_TRAVAIL).method.is_real_work_situation
