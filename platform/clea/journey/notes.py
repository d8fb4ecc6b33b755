"""Progress notes (R6): what the trainer records along the training path. One rule for the API and the web.

A note is taken on the file's current path, only while the file is in training, by the candidate's trainer
or the organisation's staff; its sub-domain, if any, is one of the path's objectives.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from clea.accounts.models import User
from clea.accounts.roles import TRAINERS
from clea.journey.models import CandidateFileRecord, ProgressNote, TrainingPathRecord
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState

NOTE_TAKERS = TRAINERS


def current_path(record: CandidateFileRecord) -> TrainingPathRecord | None:
    """The file's latest training path (an adjusted path is a new record), or None."""
    return TrainingPathRecord.objects.filter(file=record).order_by("-created_at", "-id").first()


def notes_open(record: CandidateFileRecord, path: TrainingPathRecord | None) -> bool:
    """Whether notes may be taken on the file now: it is in training, on a path."""
    return path is not None and record.state == FileState.TRAINING


def path_notes(path: TrainingPathRecord | None) -> QuerySet[ProgressNote]:
    """The notes of ``path``, newest first, with their authors."""
    if path is None:
        return ProgressNote.objects.none()
    return ProgressNote.objects.filter(path=path).select_related("author").order_by("-created_at", "-id")


def add_progress_note(file_id: int, author: User, text: str, subdomain: str = "") -> ProgressNote:
    """Record a note on the file's current path (the caller has checked that ``author`` may see the file)."""
    if author.role not in NOTE_TAKERS:
        raise PermissionDenied("Réservé au formateur et aux conseillers de l'organisme.")
    with transaction.atomic():
        record = CandidateFileRecord.objects.select_for_update().get(pk=file_id)
        path = current_path(record)
        if path is None or not notes_open(record, path):
            raise DomainError(
                "state_conflict",
                "R6",
                "Des notes de progression ne se prennent que pendant le parcours de formation.",
                "Progress notes are taken only while the training path is under way.",
            )
        if subdomain and subdomain not in {objective["subdomain"] for objective in path.objectives}:
            raise DomainError(
                "unknown_subdomain",
                "R6",
                f"Le sous-domaine {subdomain} n'est pas un objectif du parcours.",
                f"Sub-domain {subdomain} is not an objective of the path.",
            )
        return ProgressNote.objects.create(path=path, author=author, subdomain=subdomain, text=text)
