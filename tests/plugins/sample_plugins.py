"""Tiny in-test plugins (pluggy's testing style): well-formed, misspelled, wrongly signed, raising."""

from __future__ import annotations

from collections.abc import Sequence

from clea.kernel.journey import Objective
from clea.kernel.referential import Referential
from clea_plugins import BranchIdentity, Modality, TrainingOffer, hookimpl


def identity(code: str) -> BranchIdentity:
    return BranchIdentity(code, f"Test {code}", "0.1.0", "Plugin de test.", f"{code}@example.org")


class Minimal:
    """The two required hooks, nothing else."""

    def __init__(self, code: str) -> None:
        self.code = code

    @hookimpl
    def clea_branch_identity(self) -> BranchIdentity:
        return identity(self.code)

    @hookimpl
    def clea_evaluation_modalities(self, referential: Referential) -> list[Modality]:
        return []


class Misspelled(Minimal):
    @hookimpl
    def clea_training_ofer(self, referential: Referential, objectives: Sequence[Objective]) -> list[TrainingOffer]:
        return []


class WrongSignature(Minimal):
    @hookimpl
    def clea_training_offer(
        self, referential: Referential, objectives: Sequence[Objective], budget: int
    ) -> list[TrainingOffer]:
        return []


class Raising(Minimal):
    @hookimpl
    def clea_training_offer(self, referential: Referential, objectives: Sequence[Objective]) -> list[TrainingOffer]:
        raise ZeroDivisionError("hours per criterion is zero")


class NoIdentity:
    @hookimpl
    def clea_evaluation_modalities(self, referential: Referential) -> list[Modality]:
        return []


class Wrapper(Minimal):
    @hookimpl(wrapper=True)
    def clea_training_offer(self):  # type: ignore[no-untyped-def]
        result = yield
        return result
