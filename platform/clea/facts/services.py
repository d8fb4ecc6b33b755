"""Publishing a decision of a tenant as a pseudonymised public fact. Idempotent by
(organisation, file_ref, decision_id)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clea.facts.models import JourneyFact
from clea.kernel.journey import WithdrawalReason

REASON_CODES: frozenset[str] = frozenset(r.value for r in WithdrawalReason)

# Decision details that carry no personal data. Everything else (prescriber or trainer names, user
# references, the jury's reasons, certificate numbers, consent wording, free text) stays in the tenant.
PUBLIC_DETAIL_KEYS: frozenset[str] = frozenset(
    {
        "criteria",
        "acquired",
        "mastered_domains",
        "modality",
        "objectives",
        "ends_on",
        "outcome",
        "deadline",
        "to",
        "from",
        "prescriber_type",
        "missing_subdomains",  # sub-domain codes not acquired at an évaluation préalable ("3.1,7.2")
        "reason_code",  # a withdrawal's reason, a WithdrawalReason code (never its free-text detail)
        "accommodations",  # kinds of accommodation on the file (codes only: never the detail nor the justification)
    }
)


def public_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    public = {key: value for key, value in detail.items() if key in PUBLIC_DETAIL_KEYS}
    if "reason_code" in public and public["reason_code"] not in REASON_CODES:
        del public["reason_code"]  # only a code of the list is ever published, never text
    return public


def publish(
    *,
    organisation: str,
    region: str,
    branches: list[str],
    candidate: str,
    file_ref: str,
    decision_id: int,
    kind: str,
    from_state: str,
    to_state: str,
    at: Any,
    prescriber_type: str,
    referential_id: str,
    detail: Mapping[str, Any],
) -> tuple[JourneyFact, bool]:
    """Store the fact once; a second call with the same decision returns the existing row."""
    return JourneyFact.objects.get_or_create(
        organisation=organisation,
        file_ref=file_ref,
        decision_id=decision_id,
        defaults={
            "candidate": candidate,
            "kind": kind,
            "from_state": from_state,
            "to_state": to_state,
            "at": at,
            "region": region,
            "prescriber_type": prescriber_type,
            "branches": sorted(branches),
            "referential_id": referential_id,
            "detail": public_detail(detail),
        },
    )
