"""Health details that apps contribute without the health views importing them (dependency inversion).

An app registers, in its ``AppConfig.ready``, a function returning a :class:`Detail`; ``/healthz/detail``
and ``/metrics`` report every registered one. Details never decide readiness: the readiness probe checks only
what a web pod needs to answer (the database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One gauge value exported on ``/metrics`` (``name`` must start with ``clea_``)."""

    name: str
    documentation: str
    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class Detail:
    """``ok`` false names the problems; ``data`` is shown as is (JSON-serialisable); ``samples`` go to /metrics."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    samples: tuple[Sample, ...] = ()


_CHECKS: dict[str, Callable[[], Detail]] = {}


def register_check(name: str, check: Callable[[], Detail]) -> None:
    """Register (or replace) the detail ``name``; idempotent, so ``ready()`` may run twice."""
    _CHECKS[name] = check


def registered_checks() -> dict[str, Callable[[], Detail]]:
    return dict(_CHECKS)
