"""The SDK conformance suite, run by the Propreté plugin on itself."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import clea_branch_proprete.hooks
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.testkit.conformance import BranchConformance
from clea_plugins.testkit.samples import sample_evaluation, used_modalities
from clea_plugins.types import Modality


class TestConformance(BranchConformance):
    code = "proprete"
    plugin: ClassVar[object] = clea_branch_proprete.hooks.plugin

    def wrong_evaluation(
        self, referential: Referential, modalities: list[Modality]
    ) -> tuple[Evaluation, tuple[Modality, ...]]:
        """Sanitary cleaning assessed in a classroom: the Propreté rule refuses it."""
        evaluation = sample_evaluation(referential, subdomains=["7.1"])
        used = tuple(replace(m, on_site=False) for m in used_modalities(evaluation, referential, modalities))
        return evaluation, used
