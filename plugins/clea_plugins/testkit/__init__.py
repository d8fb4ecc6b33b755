"""Test kit for branch plugins: fakes of the kernel ports, sample inputs, fixtures, the conformance suite.

* :mod:`clea_plugins.testkit.conformance` — ``BranchConformance``: subclass it once in your tests;
* :mod:`clea_plugins.testkit.fixtures` — pytest fixtures (``plugin_manager`` with just your plugin…);
* :mod:`clea_plugins.testkit.samples` — evaluations, objectives, snapshots, decisions;
* :mod:`clea_plugins.testkit.fakes` — in-memory referential port, notifier, event publisher, task enqueuer, clock.

Importing the testkit imports pytest but never Django.
"""

from clea_plugins.testkit.fakes import (
    FakeReferentialRepository,
    RecordingEnqueuer,
    RecordingEventPublisher,
    RecordingNotifier,
)
from clea_plugins.testkit.samples import (
    sample_decisions,
    sample_evaluation,
    sample_objectives,
    sample_profile,
    sample_snapshot,
    used_modalities,
)

__all__ = [
    "FakeReferentialRepository",
    "RecordingEnqueuer",
    "RecordingEventPublisher",
    "RecordingNotifier",
    "sample_decisions",
    "sample_evaluation",
    "sample_objectives",
    "sample_profile",
    "sample_snapshot",
    "used_modalities",
]
