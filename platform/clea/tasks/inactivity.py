"""Issue 13 §7, run daily in every organisation: remind the counsellor of files without activity.

The sweep claims one ledger key per file, level and period of inactivity, and hands each reminder to the
outbox (task :func:`send_inactivity_reminder`), so a second run of the same day sends nothing again.
``today`` (ISO date) may be injected; it defaults to the real date.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clea.celery import task
from clea.journey import inactivity, notifications
from clea.journey.models import CandidateFileRecord
from clea.kernel.journey import LEVEL_LABELS_FR
from clea.outbox.writer import enqueue
from clea.tasks.ledger import claim
from clea.tasks.reminders import clock_for
from clea_tenants.schemas import current_schema

REMINDER_TASK = "clea.tasks.inactivity.send_inactivity_reminder"


@task("clea.tasks.inactivity.remind_inactive_files", bind=True)
def remind_inactive_files(self: Any, today: str | None = None) -> int:
    """Queue one reminder per idle file and level reached; returns how many were queued."""
    day = clock_for(today).today()
    schema = current_schema()
    queued = 0
    for idle in inactivity.idle_files(day):
        if idle.counsellor_id is None:
            continue
        with transaction.atomic():
            if claim(inactivity.reminder_key(schema, idle), self.name, self.request.id or ""):
                enqueue(REMINDER_TASK, [idle.file_id, idle.level, idle.idle_days])
                queued += 1
    return queued


@task(REMINDER_TASK)
def send_inactivity_reminder(file_id: int, level: int, idle_days: int) -> int:
    """E-mail the file's counsellor that the file has had no activity for ``idle_days`` days."""
    record = CandidateFileRecord.objects.select_related("candidate", "counsellor").get(pk=file_id)
    if record.counsellor is None or not record.counsellor.email:
        return 0
    name = record.candidate.full_name
    label = LEVEL_LABELS_FR[min(level, max(LEVEL_LABELS_FR))]
    message = notifications.Message(
        (record.counsellor.email,),
        f"Dossier CléA sans activité : {name} ({idle_days} jours)",
        f"Bonjour,\n\nLe dossier CléA n° {file_id} de {name} n'a connu aucune activité (décision, séance, note "
        f"ou preuve) depuis {idle_days} jours : {label.lower()}. Pensez à reprendre contact avec la personne ; "
        "si elle souhaite quitter le dispositif, enregistrez sa sortie avec son motif."
        f"{notifications.SIGNATURE}",
    )
    return notifications.send([message])
