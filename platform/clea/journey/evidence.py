"""The dossier de preuves: uploads checked by their content (not their name), stored per tenant."""

from __future__ import annotations

import hashlib
from typing import Any

import filetype  # type: ignore[import-untyped]
from django.core.files.uploadedfile import UploadedFile

from clea.accounts.models import User
from clea.journey.models import CandidateFileRecord, Evidence
from clea.kernel.errors import DomainError
from clea.kernel.evidence import require_consent_for_evidence

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ACCEPTED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "text/plain": "texte",
}


def sniff_content_type(head: bytes) -> str | None:
    """The type the bytes really are; plain UTF-8 text without control bytes counts as text."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if not any(ord(c) < 9 or 13 < ord(c) < 32 for c in text) else None


def check_upload(upload: UploadedFile[Any]) -> str:
    if upload.size is None or upload.size == 0:
        raise DomainError("evidence_empty", None, "Le fichier est vide.", "The file is empty.")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(
            "evidence_too_large",
            None,
            f"Le fichier dépasse {MAX_EVIDENCE_BYTES // (1024 * 1024)} Mo.",
            f"The file exceeds {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB.",
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8192))
    upload.seek(0)
    if content_type not in ACCEPTED_TYPES:
        accepted = ", ".join(ACCEPTED_TYPES.values())
        raise DomainError(
            "evidence_type_refused",
            None,
            f"Type de fichier refusé (d'après son contenu). Types acceptés : {accepted}.",
            f"File type refused (judged by its content). Accepted: {accepted}.",
        )
    return content_type


def add_evidence(
    record: CandidateFileRecord, upload: UploadedFile[Any], title: str, criterion: str, user: User
) -> Evidence:
    require_consent_for_evidence(record.consent_given_on)  # R2: never before consent (400 consent_required)
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        file=record,
        criterion=criterion,
        title=title or (upload.name or "preuve"),
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    evidence.content.save(str(evidence.uid), upload, save=False)
    evidence.save()
    return evidence
