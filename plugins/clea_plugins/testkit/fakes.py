"""In-memory fakes of the kernel ports, for branch tests that run without Django or a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clea.kernel.clock import FixedClock
from clea.kernel.journey import Decision
from clea.kernel.referential import Referential, shipped_referentials

__all__ = [
    "FakeReferentialRepository",
    "FixedClock",
    "RecordingEnqueuer",
    "RecordingEventPublisher",
    "RecordingNotifier",
]


class FakeReferentialRepository:
    """:class:`clea.kernel.ports.ReferentialRepository` over the shipped referentials (or the ones given)."""

    def __init__(self, referentials: Iterable[Referential] | None = None) -> None:
        chosen = list(referentials) if referentials is not None else list(shipped_referentials().values())
        self._by_identity = {referential.identity: referential for referential in chosen}

    def get(self, identity: str) -> Referential:
        return self._by_identity[identity]

    def add(self, referential: Referential) -> None:
        self._by_identity[referential.identity] = referential

    @property
    def identities(self) -> tuple[str, ...]:
        return tuple(self._by_identity)


@dataclass
class RecordingNotifier:
    """:class:`clea.kernel.ports.Notifier` keeping what it was asked to send."""

    sent: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def notify(self, recipient: str, template: str, context: Mapping[str, str]) -> None:
        self.sent.append((recipient, template, dict(context)))


@dataclass
class RecordingEventPublisher:
    """:class:`clea.kernel.ports.EventPublisher` keeping what it was asked to publish."""

    published: list[tuple[str, Decision]] = field(default_factory=list)

    def publish(self, organisation: str, decision: Decision) -> None:
        self.published.append((organisation, decision))


@dataclass
class RecordingEnqueuer:
    """:class:`clea_plugins.types.TaskEnqueuer` keeping the tasks a plugin asked for (``clea_journey_event``)."""

    tasks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def __call__(self, task_name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> None:
        self.tasks.append((task_name, tuple(args), dict(kwargs or {})))
