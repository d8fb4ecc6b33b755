"""Accommodations (aménagements) for disabled candidates (R3): recorded, seen by the evaluator, sent to the jury."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from clea.kernel.errors import DomainError

MAX_DETAIL = 500


class AccommodationKind(StrEnum):
    EXTRA_TIME = "extra_time"
    READER = "reader"
    LARGE_PRINT = "large_print"
    SIGN_LANGUAGE = "sign_language"
    ADAPTED_PLACE = "adapted_place"
    OTHER = "other"

    @property
    def label_fr(self) -> str:
        return {
            "extra_time": "Temps supplémentaire",
            "reader": "Lecteur",
            "large_print": "Documents en gros caractères",
            "sign_language": "Interprète en langue des signes",
            "adapted_place": "Lieu adapté",
            "other": "Autre",
        }[self.value]


@dataclass(frozen=True)
class Accommodation:
    kind: AccommodationKind
    detail: str = ""
    justification_seen: bool = False

    @property
    def label_fr(self) -> str:
        return self.kind.label_fr + (f" : {self.detail}" if self.detail else "")


def check_accommodation(kind: str, detail: str) -> Accommodation:
    """A kind from the list; ``other`` says what it is."""
    try:
        chosen = AccommodationKind(kind)
    except ValueError:
        listed = ", ".join(k.label_fr.lower() for k in AccommodationKind)
        raise DomainError(
            "accommodation_kind",
            "R3",
            f"Type d'aménagement inconnu ; types possibles : {listed}.",
            f"Unknown accommodation kind {kind!r}.",
        ) from None
    detail = detail.strip()
    if chosen is AccommodationKind.OTHER and not detail:
        raise DomainError(
            "accommodation_detail",
            "R3",
            "Précisez l'aménagement « autre ».",
            "Say what the 'other' accommodation is.",
        )
    if len(detail) > MAX_DETAIL:
        raise DomainError(
            "accommodation_detail",
            "R3",
            f"La précision tient en {MAX_DETAIL} caractères au plus.",
            f"The detail fits in {MAX_DETAIL} characters.",
        )
    return Accommodation(chosen, detail)


def jury_lines(accommodations: Iterable[Accommodation]) -> tuple[str, ...]:
    """What the jury reads: each accommodation in French (no justification document travels)."""
    return tuple(sorted({a.label_fr for a in accommodations}))
