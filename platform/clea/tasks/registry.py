"""Imported by ``clea.celery`` (autodiscovery): every module defining platform tasks."""

from clea.tasks import (
    audit,
    collective,
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
    "audit",
    "collective",
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
