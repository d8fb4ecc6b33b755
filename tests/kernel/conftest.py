"""Kernel test fixtures: pure Python, no database, no Django settings.

``builders.py`` (same folder) holds plain helper functions, imported as ``tests.kernel.builders``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from tests.kernel import builders

from clea.kernel.clock import FixedClock
from clea.kernel.journey import Actor, CandidateFile, FileState
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential, default_referential


@pytest.fixture(scope="session")
def referential() -> Referential:
    """The shipped CléA referential (the default version)."""
    return default_referential()


@pytest.fixture
def clock() -> FixedClock:
    """A clock that only moves when told to (starts on Monday 5 January 2026, 09:00 UTC)."""
    return FixedClock()


@pytest.fixture
def actors() -> dict[str, Actor]:
    return {
        "counsellor": builders.COUNSELLOR,
        "evaluator": builders.EVALUATOR,
        "second_evaluator": builders.SECOND_EVALUATOR,
        "trainer": builders.TRAINER,
        "second_trainer": builders.SECOND_TRAINER,
        "jury": builders.JURY_SECRETARY,
    }


@pytest.fixture
def make_initial(referential: Referential, clock: FixedClock) -> Callable[..., Evaluation]:
    """``make_initial(acquired_codes, on=None, **kw)``: an évaluation préalable with every criterion present."""

    def make(acquired: frozenset[str] | set[str], on: date | None = None, **kw: Any) -> Evaluation:
        return builders.initial_evaluation(referential, acquired, on or clock.today(), **kw)

    return make


@pytest.fixture
def walk(referential: Referential, clock: FixedClock) -> Callable[..., CandidateFile]:
    """``walk(FileState.X, gaps=(...))``: a new file taken through the real transitions to state X."""

    def go(target: FileState, **kw: Any) -> CandidateFile:
        return builders.walk_to(target, referential, clock, **kw)

    return go
