"""R2: the person may leave at any time; the reason is one of a fixed list, so that it can be counted.

The reason code (never free text) is what the national figures count; the optional detail (required for
"other") and the day the candidate confirmed the withdrawal stay in the organisation's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clea.kernel.errors import DomainError

MAX_DETAIL = 500


class WithdrawalReason(StrEnum):
    FOUND_JOB = "found_job"
    MOVED = "moved"
    HEALTH = "health"
    NO_LONGER_WISHES = "no_longer_wishes"
    UNREACHABLE = "unreachable"
    OTHER = "other"

    @property
    def label_fr(self) -> str:
        return REASON_LABELS_FR[self]


REASON_LABELS_FR: dict[WithdrawalReason, str] = {
    WithdrawalReason.FOUND_JOB: "A trouvé un emploi",
    WithdrawalReason.MOVED: "A déménagé",
    WithdrawalReason.HEALTH: "Raisons de santé",
    WithdrawalReason.NO_LONGER_WISHES: "Ne souhaite plus poursuivre",
    WithdrawalReason.UNREACHABLE: "Injoignable",
    WithdrawalReason.OTHER: "Autre motif",
}


@dataclass(frozen=True)
class Withdrawal:
    reason: WithdrawalReason
    detail: str = ""
    confirmed_on: date | None = None  # the day the candidate confirmed leaving (None: not confirmed)


def withdrawal(code: str, detail: str, confirmed_on: date | None, today: date) -> Withdrawal:
    """R2: check a withdrawal's reason; "other" needs a detail, a confirmation cannot be in the future."""
    try:
        reason = WithdrawalReason(code)
    except ValueError:
        choices = ", ".join(r.label_fr.lower() for r in WithdrawalReason)
        raise DomainError(
            "unknown_withdrawal_reason",
            "R2",
            f"Motif de sortie inconnu : {code!r} (choisir parmi : {choices}).",
            f"Unknown withdrawal reason {code!r}.",
        ) from None
    text = detail.strip()
    if reason is WithdrawalReason.OTHER and not text:
        raise DomainError(
            "withdrawal_detail_required",
            "R2",
            "Le motif « Autre » doit être précisé.",
            "The reason 'other' must be described.",
        )
    if len(text) > MAX_DETAIL:
        raise DomainError(
            "withdrawal_detail_too_long",
            "R2",
            f"La précision du motif ne doit pas dépasser {MAX_DETAIL} caractères.",
            f"The reason's detail is limited to {MAX_DETAIL} characters.",
        )
    if confirmed_on is not None and confirmed_on > today:
        raise DomainError(
            "withdrawal_confirmed_in_future",
            "R2",
            "La date de confirmation par le candidat ne peut pas être dans le futur.",
            "The candidate's confirmation cannot be dated in the future.",
        )
    return Withdrawal(reason, text, confirmed_on)
