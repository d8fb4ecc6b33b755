"""Acts counted from the public facts the organisations publish (never typed, never stored twice).

| act kind | fact counted |
|---|---|
| évaluation préalable | a decision ``initial_evaluation`` (the évaluation préalable closed) |
| certificate | a decision ``jury_decision`` to ``certified`` (the certificate delivered) |
| CléA Numérique application | a decision ``file_opened`` on a ``CLEA-NUMERIQUE`` referential version |
| establishment | counted by the register of establishments through :func:`register_counter` |

Acts are dated by the fact's day in the platform's time zone. **Seam for the register** (issue 15 §1): facts do
not name an establishment yet, so :class:`ActCount.establishment` is ``""``; the register plugs in a counter
(per-establishment fees) with :func:`register_counter`, and can resolve establishments the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from clea.facts.models import JourneyFact
from clea.kernel.fees import ActCount, ActKind

FACT_FILTERS: dict[ActKind, Q] = {
    ActKind.INITIAL_EVALUATION: Q(kind="initial_evaluation"),
    ActKind.CERTIFICATE: Q(kind="jury_decision", to_state="certified"),
    ActKind.NUMERIQUE_APPLICATION: Q(kind="file_opened", referential_id__startswith="CLEA-NUMERIQUE@"),
}

# (start, end, organisation or None) -> counts; e.g. the register's accredited establishments per month.
ExtraCounter = Callable[[date, date, str | None], Iterable[ActCount]]
_extra_counters: list[ExtraCounter] = []


def register_counter(counter: ExtraCounter) -> None:
    """Add a counter of acts not found in the journey facts (called once, from an app's ``ready()``)."""
    if counter not in _extra_counters:
        _extra_counters.append(counter)


def counted_kinds() -> set[ActKind]:
    kinds = set(FACT_FILTERS)
    if _extra_counters:
        kinds.add(ActKind.ESTABLISHMENT)
    return kinds


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def act_counts(start: date, end: date, organisation: str | None = None) -> list[ActCount]:
    """Every act between ``start`` and ``end`` (inclusive), per organisation, day and kind: one query per kind."""
    low, high = _bounds(start, end)
    facts = JourneyFact.objects.filter(at__gte=low, at__lt=high)
    if organisation is not None:
        facts = facts.filter(organisation=organisation)
    counts: list[ActCount] = []
    for kind, condition in FACT_FILTERS.items():
        rows = (
            facts.filter(condition)
            .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
            .values("organisation", "day")
            .annotate(n=Count("id"))
            .order_by("organisation", "day")
        )
        counts.extend(ActCount(row["organisation"], "", kind, row["day"], row["n"]) for row in rows)
    for counter in _extra_counters:
        counts.extend(counter(start, end, organisation))
    return counts
