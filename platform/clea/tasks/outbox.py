"""Relaying the outbox (``clea.outbox``): periodically (beat, every minute) and when a worker starts."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_ready

from clea.celery import task
from clea.outbox.relay import relay_due

logger = logging.getLogger(__name__)


@task("clea.tasks.outbox.relay_outbox")
def relay_outbox() -> dict[str, int]:
    """Send every pending outbox row whose next attempt is due (public schema, all tenants' rows)."""
    outcome = relay_due()
    return {"sent": outcome.sent, "deferred": outcome.deferred, "failed": outcome.failed}


@worker_ready.connect  # type: ignore[untyped-decorator]
def relay_when_a_worker_starts(sender: Any = None, **_: Any) -> None:
    """A worker that starts (after a broker outage, a deployment) sends what is still pending at once."""
    try:
        outcome = relay_due()
    except Exception:  # the worker must start even if the database is not there yet: beat will relay later
        logger.exception("outbox: relay at worker start failed")
        return
    if outcome.sent or outcome.deferred:
        logger.info("outbox: %s sent, %s deferred at worker start", outcome.sent, outcome.deferred)
