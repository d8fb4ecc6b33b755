"""CléA plugin SDK: what a branch author codes against.

* :mod:`clea_plugins.hookspecs` — the hooks (``hookimpl`` marks an implementation);
* :mod:`clea_plugins.types` — the frozen dataclasses hooks take and return;
* :mod:`clea_plugins.declarative` — ``DeclarativeBranch``: every hook answered from the branch's data file;
* :mod:`clea_plugins.data`, :mod:`clea_plugins.planning`, :mod:`clea_plugins.rules` — helpers;
* :mod:`clea_plugins.manager` — loading, validation, per-tenant dispatch (used by the platform);
* :mod:`clea_plugins.testkit` — fixtures, fakes and the conformance suite;
* ``clea-branch-scaffold`` / ``python -m clea_plugins.scaffold`` — a new branch distribution.

Importing this package never imports Django.
"""

from clea_plugins.errors import BranchNotAccredited, PluginError, PluginLoadError
from clea_plugins.hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec
from clea_plugins.types import (
    BranchIdentity,
    CandidateProfile,
    EvaluationPlan,
    JuryFileSection,
    Method,
    Modality,
    PlanDay,
    Severity,
    TaskEnqueuer,
    TrainingOffer,
    ValidationIssue,
)

__version__ = "0.3.0"

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "BranchIdentity",
    "BranchNotAccredited",
    "CandidateProfile",
    "EvaluationPlan",
    "JuryFileSection",
    "Method",
    "Modality",
    "PlanDay",
    "PluginError",
    "PluginLoadError",
    "Severity",
    "TaskEnqueuer",
    "TrainingOffer",
    "ValidationIssue",
    "hookimpl",
    "hookspec",
]
