"""A branch plugin that is mostly data: every hook answered from the branch's data file.

A branch's ``hooks.py`` shrinks to what is really the branch's::

    # clea_branch_agriculture/hooks.py
    from clea_branch_agriculture import rules
    from clea_plugins.declarative import DeclarativeBranch

    plugin = DeclarativeBranch("clea_branch_agriculture", rules=(rules.phytosanitary_on_site,))

    # pyproject.toml: the entry point names the object, not the module
    [project.entry-points."clea.branches"]
    agriculture = "clea_branch_agriculture.hooks:plugin"

:class:`DeclarativeBranch` reads ``<package>/data/modalities.yaml`` (format: :mod:`clea_plugins.data`) on
first use and implements every hook of :mod:`clea_plugins.hookspecs` (where each one stays declared and
documented) as a ``@hookimpl`` method:

===============================  ===============================================================================
hook                             answer
===============================  ===============================================================================
``clea_branch_identity``         ``identity:`` of the file, the package's ``__version__``, ``not_covered``
``clea_evaluation_modalities``   ``modalities:`` for a referential listed in ``referentials:`` (else ``[]``)
``clea_evaluation_plan``         :func:`clea_plugins.planning.pack_days` over those modalities (else ``None``)
``clea_validate_evaluation``     :func:`clea_plugins.rules.common_issues`, then each of ``rules`` in order
``clea_training_offer``          ``training:`` hints (:meth:`clea_plugins.data.BranchData.training_offers`)
``clea_jury_file_sections``      ``jury_sections:`` (a line may use ``{evidence_count}``)
``clea_journey_event``           logs the ``journey_notes:`` line of the decision's kind, if any
===============================  ===============================================================================

To customise one hook, subclass and override the method of the same name, marked ``@hookimpl`` (a hook
method without it would silently never be called, so defining one is refused when the class is created);
call ``super()`` to keep the declarative answer. The branch code is the package name without
``clea_branch_``; the data file's ``branch:`` key must equal it (an error names the file otherwise).

Importing this module never imports Django.

.. versionadded:: 0.2
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from clea.kernel.evidence import EvidenceRef
from clea.kernel.journey import Decision, Objective
from clea.kernel.jury import JurySnapshot
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential
from clea_plugins.data import BranchData, BranchDataError, load_branch_data
from clea_plugins.hookspecs import HOOK_NAMES, PROJECT_NAME, hookimpl
from clea_plugins.planning import pack_days
from clea_plugins.rules import common_issues
from clea_plugins.types import (
    BRANCH_CODE,
    BranchIdentity,
    CandidateProfile,
    EvaluationPlan,
    JuryFileSection,
    Modality,
    TaskEnqueuer,
    TrainingOffer,
    ValidationIssue,
)

PACKAGE_PREFIX = "clea_branch_"
DATA_RESOURCE = "data/modalities.yaml"

Rule = Callable[[Referential, Evaluation, Sequence[Modality]], Sequence[ValidationIssue]]
"""A branch rule: ``(referential, evaluation, modalities) -> issues`` (see :mod:`clea_plugins.rules`)."""


class DeclarativeBranch:
    """The standard hooks of a branch plugin, answered from its data file; ``rules`` add its own checks.

    :param package: the branch's package, ``clea_branch_<code>``; the data file is ``<package>/<resource>``.
    :param rules: the branch's validation rules, run after :func:`~clea_plugins.rules.common_issues`.
    :param resource: the data file inside the package (declare it as package data).
    """

    def __init__(self, package: str, *, rules: Sequence[Rule] = (), resource: str = DATA_RESOURCE) -> None:
        code = package.removeprefix(PACKAGE_PREFIX)
        if code == package or not BRANCH_CODE.match(code):
            raise ValueError(f"package {package!r}: a branch package is named {PACKAGE_PREFIX}<code>")
        self.package = package
        self.code = code
        self.rules = tuple(rules)
        self.resource = resource
        self.logger = logging.getLogger(f"clea.branch.{code}")
        self._data: BranchData | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in HOOK_NAMES:
            method = cls.__dict__.get(name)
            if method is not None and getattr(method, f"{PROJECT_NAME}_impl", None) is None:
                raise TypeError(
                    f"{cls.__qualname__}.{name} overrides a hook without @hookimpl, so pluggy would never call "
                    "it: decorate it with @hookimpl (from clea_plugins import hookimpl)"
                )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code!r} ({self.package}/{self.resource})>"

    # ---- the data file -----------------------------------------------------------------------------

    def data(self) -> BranchData:
        """The branch's data file, read and checked on first use (an error names the file and the place)."""
        if self._data is None:
            data = load_branch_data(self.package, self.resource, branch=self.code)
            missing = [key for key in ("name", "contact") if not getattr(data, key)]
            if missing:
                raise BranchDataError(data.source, "identity", f"missing {', '.join(missing)} (the plugin's identity)")
            self._data = data
        return self._data

    def supports(self, referential: Referential) -> bool:
        """Whether the branch serves ``referential`` (its code is among the file's ``referentials``)."""
        return referential.code in self.data().referentials

    def version(self) -> str:
        """The package's ``__version__``."""
        return str(getattr(importlib.import_module(self.package), "__version__", ""))

    # ---- the hooks (documented in clea_plugins.hookspecs) ------------------------------------------

    @hookimpl
    def clea_branch_identity(self) -> BranchIdentity:
        data = self.data()
        return BranchIdentity(self.code, data.name, self.version(), data.description, data.contact, data.not_covered)

    @hookimpl
    def clea_evaluation_modalities(self, referential: Referential) -> list[Modality]:
        return list(self.data().modalities) if self.supports(referential) else []

    @hookimpl
    def clea_evaluation_plan(
        self, referential: Referential, candidate_profile: CandidateProfile, start: date
    ) -> EvaluationPlan | None:
        if not self.supports(referential):
            return None
        return pack_days(self.code, referential, self.data().modalities, candidate_profile, start)

    @hookimpl
    def clea_validate_evaluation(
        self, referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
    ) -> list[ValidationIssue]:
        issues = common_issues(self.code, referential, evaluation, modalities)
        for rule in self.rules:
            issues.extend(rule(referential, evaluation, modalities))
        return issues

    @hookimpl
    def clea_training_offer(self, referential: Referential, objectives: Sequence[Objective]) -> list[TrainingOffer]:
        return self.data().training_offers(objectives) if self.supports(referential) else []

    @hookimpl
    def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        return self.data().jury_sections(snapshot)

    @hookimpl
    def clea_evidence_items(self, file_reference: str, references: Sequence[str]) -> list[EvidenceRef]:
        return []

    @hookimpl
    def clea_journey_event(self, decision: Decision, organisation: str, enqueue: TaskEnqueuer) -> None:
        note = self.data().journey_notes.get(decision.kind.value)
        if note:
            self.logger.info("%s: %s (%s)", self.code, note, organisation)
