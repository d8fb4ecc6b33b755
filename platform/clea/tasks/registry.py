"""Imported by ``clea.celery`` (autodiscovery): every module defining platform tasks."""

from clea.tasks import (
    audit,
    diagnostics,
    documents,
    facts,
    jury,
    notifications,
    outbox,
    prescribers,
    provisioning,
    register,
    reminders,
    retention,
)

__all__ = [
    "audit",
    "diagnostics",
    "documents",
    "facts",
    "jury",
    "notifications",
    "outbox",
    "prescribers",
    "provisioning",
    "register",
    "reminders",
    "retention",
]
