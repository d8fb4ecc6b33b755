"""Evidence references with their kind: what branch plugins and the jury see of the dossier de preuves.

Criterion results cite evidence by reference (``CriterionResult.evidence``): the UUID of a piece uploaded to
the file, or ``<prefix>:<id>`` for a record of a branch's own app (``obs-btp:12``). A bare UUID does not say
whether it is a photo or an inventory sheet, so the platform also passes :class:`EvidenceRef` items
(``Evaluation.evidence_items``, ``JurySnapshot.evidence_items``): the reference, its kind, its content type,
its title and the criterion it was filed under.

.. versionadded:: 0.2 (plugin SDK): before, hooks saw bare references only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clea.kernel.errors import DomainError

# What a criterion result may cite: an uploaded piece's UUID, or ``<prefix>:<id>`` for a branch app's record.
REFERENCE_PATTERN = (
    r"^(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    r"|[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{1,40})$"
)

PHOTO = "photo"
DOCUMENT = "document"
TEXT = "text"
OTHER = "other"

_KIND_BY_TYPE_PREFIX: tuple[tuple[str, str], ...] = (
    ("image/", PHOTO),
    ("application/pdf", DOCUMENT),
    ("text/", TEXT),
)


@dataclass(frozen=True)
class EvidenceRef:
    """One piece of evidence as a plugin sees it (never its content, never who uploaded it).

    ``kind`` is ``photo``, ``document`` (PDF), ``text`` or ``other`` for an uploaded piece, and the prefix of the
    reference for a branch app's record (``obs-btp`` for ``obs-btp:12``).
    """

    reference: str
    kind: str
    content_type: str = ""
    title: str = ""
    criterion: str = ""


def kind_of_content_type(content_type: str) -> str:
    """``image/jpeg`` → ``photo``, ``application/pdf`` → ``document``, ``text/plain`` → ``text``, else ``other``."""
    lowered = content_type.lower()
    return next((kind for prefix, kind in _KIND_BY_TYPE_PREFIX if lowered.startswith(prefix)), OTHER)


def kind_of_reference(reference: str) -> str:
    """The prefix of a ``<prefix>:<id>`` reference (a branch app's record), ``other`` for a bare one."""
    prefix, separator, rest = reference.partition(":")
    return prefix if separator and prefix and rest else OTHER


def evidence_items(references: Iterable[str], known: Mapping[str, EvidenceRef]) -> tuple[EvidenceRef, ...]:
    """One item per distinct reference, in order: the uploaded piece ``known`` describes, else by its prefix."""
    return tuple(
        known.get(reference) or EvidenceRef(reference, kind_of_reference(reference))
        for reference in dict.fromkeys(references)
    )


def require_consent_for_evidence(consent_given_on: date | None) -> None:
    """R2/R6: nothing is added to the dossier de preuves before the person consented to their file."""
    if consent_given_on is None:
        raise DomainError(
            "consent_required",
            "R2",
            "Aucune preuve ne peut être jointe avant le consentement de la personne à l'ouverture de son dossier.",
            "No evidence can be attached before the person consented to their file.",
        )
