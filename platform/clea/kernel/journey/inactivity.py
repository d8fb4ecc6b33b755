"""Issue 13 §7: a file with no activity for a while is flagged, at three levels of growing concern.

Activity is any decision, sitting, note or evidence on the file; the thresholds are days since the last one
(settings; defaults 60, 165 and 180 days). Level 0 means "active"; levels 1, 2 and 3 the thresholds passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from clea.kernel.errors import DomainError

DEFAULT_THRESHOLDS: tuple[int, int, int] = (60, 165, 180)
LEVEL_LABELS_FR: dict[int, str] = {
    1: "Sans activité depuis longtemps",
    2: "Inactif : relance nécessaire",
    3: "Inactif : risque de sortie",
}


def check_thresholds(thresholds: Sequence[int]) -> tuple[int, ...]:
    values = tuple(int(t) for t in thresholds)
    if not values or any(t <= 0 for t in values) or list(values) != sorted(set(values)):
        raise DomainError(
            "bad_inactivity_thresholds",
            None,
            "Les seuils d'inactivité doivent être des nombres de jours positifs et croissants.",
            f"Inactivity thresholds must be positive and increasing, got {values!r}.",
        )
    return values


def inactivity_level(last_activity: date, today: date, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> int:
    """How many thresholds the days since ``last_activity`` have reached (0: still active)."""
    idle = (today - last_activity).days
    return sum(1 for t in check_thresholds(thresholds) if idle >= t)


def idle_days(last_activity: date, today: date) -> int:
    return max(0, (today - last_activity).days)
