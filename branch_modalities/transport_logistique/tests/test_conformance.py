"""The SDK conformance suite, run by the Transport–logistique plugin on itself."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import clea_branch_transport_logistique.hooks
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.testkit.conformance import BranchConformance
from clea_plugins.testkit.samples import sample_evaluation, used_modalities
from clea_plugins.types import Method, Modality


class TestConformance(BranchConformance):
    code = "transport_logistique"
    plugin: ClassVar[object] = clea_branch_transport_logistique.hooks.plugin

    def wrong_evaluation(
        self, referential: Referential, modalities: list[Modality]
    ) -> tuple[Evaluation, tuple[Modality, ...]]:
        """Manual handling assessed by a written test: the branch rule refuses it."""
        evaluation = sample_evaluation(referential, subdomains=["7.2"])
        used = tuple(
            replace(m, method=Method.EPREUVE_ECRITE) for m in used_modalities(evaluation, referential, modalities)
        )
        return evaluation, used
