"""In-test branch plugins registered programmatically (``build_host({...}, entry_points=False)``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clea.kernel.journey import Decision
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins import BranchIdentity, Method, Modality, TaskEnqueuer, ValidationIssue, hookimpl
from clea_plugins.rules import common_issues


class FakeBranch:
    """One interview modality per sub-domain; records journey events; raises in the hooks named in ``raise_in``."""

    def __init__(
        self,
        code: str,
        raise_in: frozenset[str] = frozenset(),
        raise_on_kinds: frozenset[str] = frozenset(),
        enqueue_task: str = "",
    ):
        self.code = code
        self.raise_in = raise_in
        self.raise_on_kinds = raise_on_kinds  # clea_journey_event raises only for these decision kinds (all if empty)
        self.enqueue_task = enqueue_task  # clea_journey_event enqueues this task (args: [kind, organisation])
        self.events: list[tuple[Decision, str]] = []
        self.evaluations: list[Evaluation] = []  # as clea_validate_evaluation received them

    def _maybe_raise(self, hook: str) -> None:
        if hook in self.raise_in:
            raise RuntimeError(f"{self.code}: panne simulée dans {hook}")

    @hookimpl
    def clea_branch_identity(self) -> BranchIdentity:
        return BranchIdentity(self.code, f"Branche de test {self.code}", "0.1.0", "Plugin de test.", "t@example.org")

    @hookimpl
    def clea_evaluation_modalities(self, referential: Referential) -> list[Modality]:
        self._maybe_raise("clea_evaluation_modalities")
        return [
            Modality(code, Method.ENTRETIEN, ("Entretien de test",), 10, 1, False, self.code)
            for code in referential.subdomains_by_code
        ]

    @hookimpl
    def clea_validate_evaluation(
        self, referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
    ) -> list[ValidationIssue]:
        self._maybe_raise("clea_validate_evaluation")
        self.evaluations.append(evaluation)
        return common_issues(self.code, referential, evaluation, modalities)

    @hookimpl
    def clea_journey_event(self, decision: Decision, organisation: str, enqueue: TaskEnqueuer) -> None:
        if "clea_journey_event" in self.raise_in and (
            not self.raise_on_kinds or decision.kind.value in self.raise_on_kinds
        ):
            raise RuntimeError(f"{self.code}: panne simulée à la décision {decision.kind.value}")
        self.events.append((decision, organisation))
        if self.enqueue_task:
            enqueue(self.enqueue_task, [decision.kind.value, organisation])


InstallFake = Callable[..., FakeBranch]
