"""Imported by ``clea.celery`` (autodiscovery): every module defining platform tasks."""

from clea.tasks import (
    audit,
    collective,
    diagnostics,
    documents,
    facts,
    inactivity,
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
    "collective",
    "diagnostics",
    "documents",
    "facts",
    "inactivity",
    "jury",
    "notifications",
    "outbox",
    "prescribers",
    "provisioning",
    "register",
    "reminders",
    "retention",
]
