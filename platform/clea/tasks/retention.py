"""GDPR retention, run daily in every organisation (fanned out by the scheduler): erase what is past its
retention period (:mod:`clea.privacy.retention`). ``today`` (ISO date) may be injected."""

from __future__ import annotations

from datetime import date
from typing import Any

from clea.celery import task
from clea.privacy.retention import purge


@task("clea.tasks.retention.purge_expired_data")
def purge_expired_data(today: str | None = None) -> dict[str, Any]:
    """Apply this organisation's retention periods; returns the counts of what was erased."""
    return purge(date.fromisoformat(today) if today else None)
