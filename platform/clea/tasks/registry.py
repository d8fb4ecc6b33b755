"""Imported by ``clea.celery`` (autodiscovery): every module defining platform tasks."""

from clea.tasks import (
    diagnostics,
    documents,
    facts,
    jury,
    notifications,
    outbox,
    provisioning,
    reminders,
    retention,
)

__all__ = [
    "diagnostics",
    "documents",
    "facts",
    "jury",
    "notifications",
    "outbox",
    "provisioning",
    "reminders",
    "retention",
]
