"""What one file adds to the national figures, computed from its facts alone (pure Python, no database).

This is the one definition of the figures' counting rules; the rollups store its output per file, and
:func:`clea.dashboards.figures.from_facts` applies the same rules in SQL to the raw facts.

Rules (dates are local dates in Europe/Paris; facts are taken in the order of their decisions):

- ``stage``: the file counts once, in the month of its first fact (its *cohort*), under the state of its
  last fact (its current stage);
- ``initial``: each évaluation préalable counts in its month as ``straight`` (all 7 domains mastered, the file
  goes to the jury, R5) or ``gaps`` (a training path is to be proposed, R6);
- ``missing``: each sub-domain not acquired at an évaluation préalable counts once, in its month;
- ``jury``: each jury decision counts in its month under its outcome (certified, refused, adjourned);
- ``to_certificate``: each certification counts in its month under the number of days since the file's
  latest évaluation préalable before it;
- ``withdrawal``: each withdrawal counts in its month under its reason code (``unspecified`` for withdrawals
  recorded before reasons were a list);
- ``training``: each final evaluation that follows a training path counts in its month under the number of
  days since that path was proposed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

STAGE = "stage"
INITIAL = "initial"
MISSING = "missing"
JURY = "jury"
TO_CERTIFICATE = "to_certificate"
TRAINING = "training"
WITHDRAWAL = "withdrawal"
METRICS: tuple[str, ...] = (STAGE, INITIAL, MISSING, JURY, TO_CERTIFICATE, TRAINING, WITHDRAWAL)
DURATION_METRICS: frozenset[str] = frozenset({TO_CERTIFICATE, TRAINING})

STRAIGHT, GAPS = "straight", "gaps"
JURY_OUTCOME_BY_STATE: Mapping[str, str] = {"certified": "certified", "refused": "refused", "submitted": "adjourned"}
UNSPECIFIED_REASON = "unspecified"
MISSING_DETAIL_KEY = "missing_subdomains"  # "3.1,7.2": codes only, added to initial evaluation facts

Item = tuple[str, str, str]  # (month "YYYY-MM", metric, key)


@dataclass(frozen=True)
class FactRow:
    decision_id: int
    kind: str
    to_state: str
    at: datetime
    region: str = ""
    prescriber_type: str = ""
    branches: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class FileContribution:
    """The file's slice members (from its last fact) and what it counts."""

    region: str
    prescriber_type: str
    branches: tuple[str, ...]
    items: tuple[Item, ...]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def missing_codes(detail: Mapping[str, Any]) -> list[str]:
    raw = detail.get(MISSING_DETAIL_KEY) or ""
    return [code for code in str(raw).split(",") if code]


def jury_outcome(fact: FactRow) -> str:
    return str(fact.detail.get("outcome") or JURY_OUTCOME_BY_STATE.get(fact.to_state, fact.to_state))


def withdrawal_reason(fact: FactRow) -> str:
    return str(fact.detail.get("reason_code") or UNSPECIFIED_REASON)


def contribution(facts: Iterable[FactRow], tz: ZoneInfo) -> FileContribution | None:
    ordered: Sequence[FactRow] = sorted(facts, key=lambda f: (f.at, f.decision_id))
    if not ordered:
        return None

    def local(at: datetime) -> date:
        return at.astimezone(tz).date()

    first, last = ordered[0], ordered[-1]
    items: list[Item] = [(month_of(local(first.at)), STAGE, last.to_state)]
    initial_on: date | None = None
    path_on: date | None = None
    for fact in ordered:
        day = local(fact.at)
        month = month_of(day)
        if fact.kind == "initial_evaluation":
            initial_on = day
            items.append((month, INITIAL, STRAIGHT if fact.to_state == "ready_for_jury" else GAPS))
            items.extend((month, MISSING, code) for code in missing_codes(fact.detail))
        elif fact.kind == "training_path":
            path_on = day
        elif fact.kind == "final_evaluation" and path_on is not None:
            items.append((month, TRAINING, str((day - path_on).days)))
            path_on = None
        elif fact.kind == "withdrawn":
            items.append((month, WITHDRAWAL, withdrawal_reason(fact)))
        elif fact.kind == "jury_decision":
            outcome = jury_outcome(fact)
            items.append((month, JURY, outcome))
            if outcome == "certified" and initial_on is not None:
                items.append((month, TO_CERTIFICATE, str((day - initial_on).days)))
    return FileContribution(last.region, last.prescriber_type, tuple(sorted(last.branches)), tuple(items))
