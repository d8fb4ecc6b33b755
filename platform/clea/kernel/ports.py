"""The Protocols through which the kernel reaches the outside world.

Django repositories, the system clock, mail and Celery implement these; kernel tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from clea.kernel.journey.file import CandidateFile, Decision
    from clea.kernel.referential.model import Referential


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class ReferentialRepository(Protocol):
    def get(self, identity: str) -> Referential:
        """The referential version with this identity; raises ``KeyError`` when unknown."""
        ...


class FileRepository(Protocol):
    def get(self, file_id: str) -> CandidateFile:
        """The file with this id in the current organisation; raises ``KeyError`` when unknown."""
        ...

    def save(self, file: CandidateFile, decision: Decision, expected_version: int) -> int:
        """Store the file and its new decision atomically; return the new version.

        Raises :class:`~clea.kernel.errors.DomainError` with code ``version_conflict`` when the stored
        version is not ``expected_version`` (another writer got there first).
        """
        ...


class Notifier(Protocol):
    def notify(self, recipient: str, template: str, context: Mapping[str, str]) -> None:
        """Send a message (e-mail or other channel) built from ``template``."""
        ...


class EventPublisher(Protocol):
    def publish(self, organisation: str, decision: Decision) -> None:
        """Make a journey event known outside the organisation (pseudonymised national facts)."""
        ...
