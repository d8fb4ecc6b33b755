"""R11: paritaire juries, quorum at deliberation, and independence from the candidates' organisations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from clea.kernel.errors import DomainError


class College(StrEnum):
    EMPLOYER = "employer"  # collège employeurs
    EMPLOYEE = "employee"  # collège salariés

    @property
    def label_fr(self) -> str:
        return "collège employeurs" if self is College.EMPLOYER else "collège salariés"


@dataclass(frozen=True)
class JuryMember:
    id: str
    name: str
    college: College
    linked_organisations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FileOnSession:
    """What the independence check needs of a file: who evaluated and who trained the candidate."""

    file_ref: str
    evaluating_organisations: frozenset[str]
    training_organisations: frozenset[str]


DEFAULT_QUORUM = Fraction(1, 2)


def _college_counts(members: Iterable[JuryMember]) -> tuple[int, int]:
    members = list({m.id: m for m in members}.values())  # a member listed twice counts once
    return (
        sum(1 for m in members if m.college is College.EMPLOYER),
        sum(1 for m in members if m.college is College.EMPLOYEE),
    )


def check_composition(members: Iterable[JuryMember]) -> None:
    """Two colleges in equal number, at least one member each."""
    employers, employees = _college_counts(members)
    if employers < 1 or employees < 1:
        raise DomainError(
            "jury_college_missing",
            "R11",
            "Un jury paritaire compte au moins un membre de chaque collège (employeurs et salariés).",
            "A paritaire jury has at least one member of each college (employers and employees).",
        )
    if employers != employees:
        raise DomainError(
            "jury_not_paritaire",
            "R11",
            f"Le jury n'est pas paritaire : {employers} employeur(s) pour {employees} salarié(s).",
            f"The jury is not paritaire: {employers} employer(s) for {employees} employee(s).",
        )


def check_quorum(
    convened: Iterable[JuryMember], present: Iterable[JuryMember], min_share: Fraction = DEFAULT_QUORUM
) -> None:
    """At deliberation: the members present are paritaire and at least ``min_share`` of those convened."""
    convened_ids = {m.id for m in convened}
    present = list({m.id: m for m in present}.values())  # a member listed twice counts once
    strangers = sorted(m.name for m in present if m.id not in convened_ids)
    if strangers:
        raise DomainError(
            "jury_member_not_convened",
            "R11",
            f"Membres présents non convoqués : {', '.join(strangers)}.",
            f"Members present but not convened: {', '.join(strangers)}.",
        )
    if not convened_ids or Fraction(len({m.id for m in present}), len(convened_ids)) < min_share:
        raise DomainError(
            "jury_no_quorum",
            "R11",
            f"Quorum non atteint : {len(present)} présent(s) sur {len(convened_ids)} convoqué(s).",
            f"No quorum: {len(present)} present out of {len(convened_ids)} convened.",
        )
    check_composition(present)


def identity_key(label: str) -> str:
    """How R11 compares two organisations: register identities (``training-body:12``) as they are, names
    without case, accents, punctuation or extra spaces ("Greta Lyon" and "GRETA  Lyon" are one body)."""
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if re.fullmatch(r"[a-z-]+:[\w-]+", plain):
        return plain
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def involved_organisations(member: JuryMember, file: FileOnSession) -> list[str]:
    """The file's organisations (evaluating or training) the member is linked to, by identity."""
    linked = {identity_key(o) for o in member.linked_organisations}
    return sorted(
        o for o in file.evaluating_organisations | file.training_organisations if identity_key(o) in linked
    )


def check_independence(members: Iterable[JuryMember], files: Iterable[FileOnSession]) -> None:
    """No member may be linked to an organisation that evaluated or trained any candidate on the session."""
    files = list(files)
    for member in members:
        for file in files:
            involved = involved_organisations(member, file)
            if involved:
                organisation = involved[0]
                raise DomainError(
                    "jury_conflict_of_interest",
                    "R11",
                    f"{member.name} est lié(e) à l'organisme {organisation}, qui a évalué ou formé un candidat "
                    f"de la session (dossier {file.file_ref}).",
                    f"{member.name} is linked to organisation {organisation}, which evaluated or trained a "
                    f"candidate on the session (file {file.file_ref}).",
                )
