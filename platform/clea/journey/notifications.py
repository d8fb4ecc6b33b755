"""E-mails sent on journey events and R8 reminders, in French, to candidates, counsellors and trainers.

Pure composition (:func:`messages_for_decision`, :func:`reminder_messages`) is kept apart from sending
(:func:`send`, Django's mail backends), so the wording is testable without a mail server. Wording follows R3:
what is acquired is put forward, nothing is called "failed". Nothing goes to a person before their consent
(a welcomed person without an opened file gets no e-mail).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from clea.journey.models import CandidateFileRecord, DecisionRecord, TrainingPathRecord
from clea.kernel.journey import DecisionKind, FileState

SIGNATURE = "\n\n— L'équipe CléA de votre organisme évaluateur\n(message automatique, merci de ne pas y répondre)"


@dataclass(frozen=True)
class Message:
    to: tuple[str, ...]
    subject: str
    body: str


@dataclass(frozen=True)
class People:
    candidate_name: str
    candidate_first_name: str
    candidate: str  # e-mail addresses, "" when unknown
    counsellor: str
    trainer: str


def people_of(record: CandidateFileRecord) -> People:
    candidate = record.candidate
    path = TrainingPathRecord.objects.filter(file=record).select_related("trainer").order_by("-created_at", "-id")
    current = path.first()
    return People(
        candidate_name=candidate.full_name,
        candidate_first_name=candidate.first_name,
        candidate=candidate.email,
        counsellor=record.counsellor.email if record.counsellor else "",
        trainer=current.trainer.email if current and current.trainer else "",
    )


def _to_candidate(people: People, subject: str, text: str) -> Message | None:
    if not people.candidate:
        return None
    return Message((people.candidate,), subject, f"Bonjour {people.candidate_first_name},\n\n{text}{SIGNATURE}")


def _to_staff(address: str, subject: str, text: str) -> Message | None:
    if not address:
        return None
    return Message((address,), subject, f"Bonjour,\n\n{text}{SIGNATURE}")


def _candidate_text(decision: DecisionRecord) -> tuple[str, str] | None:
    kind, to_state, detail = decision.kind, decision.to_state, decision.detail or {}
    if kind == DecisionKind.FILE_OPENED:
        return "Votre dossier CléA est ouvert", (
            "Votre dossier de certification CléA est ouvert. La prochaine étape est votre évaluation préalable, "
            "qui porte sur les 7 domaines du socle et met en valeur ce que vous savez déjà faire."
        )
    if kind in (DecisionKind.INITIAL_EVALUATION, DecisionKind.FINAL_EVALUATION):
        if to_state == FileState.READY_FOR_JURY:
            return "Vos compétences CléA sont toutes acquises", (
                "Votre évaluation montre que vous maîtrisez les 7 domaines du socle CléA. "
                "Votre dossier va être présenté au jury de certification."
            )
        return "Vos points forts et la suite de votre parcours", (
            "Votre évaluation a mis en évidence les compétences que vous avez déjà acquises ; elles vous sont "
            "gardées. Un parcours de formation va vous être proposé pour compléter les autres."
        )
    if kind == DecisionKind.TRAINING_PATH:
        ends_on = detail.get("ends_on", "")
        return "Votre parcours de formation CléA", (
            "Votre parcours de formation individualisé est prêt"
            + (f" ; il se termine au plus tard le {_fr_date(ends_on)}" if ends_on else "")
            + ". Votre formateur ou formatrice prendra contact avec vous."
        )
    if kind == DecisionKind.TRAINING_PATH_ADJUSTED:
        return "Votre parcours de formation a été ajusté", "Le calendrier de votre parcours de formation a changé."
    if kind == DecisionKind.SUBMITTED:
        return "Votre dossier a été transmis au jury", (
            "Votre dossier CléA a été transmis au jury de certification. Vous serez informé(e) de sa décision."
        )
    if kind == DecisionKind.JURY_DECISION:
        outcome = detail.get("outcome", "")
        if outcome == "certified":
            number = detail.get("certificate_number", "")
            return "Félicitations : vous êtes certifié(e) CléA", (
                "Le jury vous a délivré le certificat CléA"
                + (f" (numéro {number})" if number else "")
                + ". Votre organisme vous remettra votre certificat."
            )
        if outcome == "adjourned":
            return "Votre dossier sera examiné lors d'un prochain jury", (
                "Le jury a reporté l'examen de votre dossier à une prochaine session."
            )
        return "Décision du jury CléA", (
            "Le jury ne vous a pas délivré le certificat cette fois-ci. Les compétences que vous avez acquises vous "
            "restent : votre conseiller ou conseillère vous expliquera la décision et la suite possible."
        )
    if kind == DecisionKind.EXPIRED:
        return "Le délai de votre parcours CléA est dépassé", (
            "Le délai de 5 ans qui suit votre évaluation préalable est dépassé. Pour reprendre votre parcours, "
            "une nouvelle évaluation préalable est nécessaire : votre conseiller ou conseillère peut l'organiser."
        )
    return None


def _staff_text(decision: DecisionRecord, name: str) -> tuple[str, str] | None:
    kind, to_state = decision.kind, decision.to_state
    label = FileState(to_state).label_fr if to_state in {s.value for s in FileState} else to_state
    if kind in (
        DecisionKind.INITIAL_EVALUATION,
        DecisionKind.FINAL_EVALUATION,
        DecisionKind.JURY_DECISION,
        DecisionKind.EXPIRED,
        DecisionKind.WITHDRAWN,
        DecisionKind.TRAINING_PATH,
    ):
        return f"Dossier de {name} : {label}", f"Le dossier CléA de {name} est passé à l'étape « {label} »."
    return None


def messages_for_decision(record: CandidateFileRecord, decision: DecisionRecord) -> list[Message]:
    """Who hears about a decision: the candidate (once the file is opened), the counsellor, the trainer."""
    people = people_of(record)
    messages: list[Message | None] = []
    candidate = _candidate_text(decision)
    if candidate is not None:
        messages.append(_to_candidate(people, *candidate))
    staff = _staff_text(decision, people.candidate_name)
    if staff is not None:
        kind = decision.kind
        if kind != DecisionKind.TRAINING_PATH:
            messages.append(_to_staff(people.counsellor, *staff))
        if kind in (DecisionKind.TRAINING_PATH, DecisionKind.FINAL_EVALUATION, DecisionKind.WITHDRAWN):
            messages.append(_to_staff(people.trainer, *staff))
    return _unique(m for m in messages if m is not None)


def reminder_messages(record: CandidateFileRecord, deadline: date, days_before: int) -> list[Message]:
    """R8: the path must end before the deadline (5 years after the évaluation préalable)."""
    people = people_of(record)
    when = f"{deadline:%d/%m/%Y}"
    messages = [
        _to_candidate(
            people,
            f"Rappel : votre parcours CléA se termine le {when}",
            f"Votre parcours CléA doit se terminer au plus tard le {when} (dans {days_before} jours). "
            "Après cette date, une nouvelle évaluation préalable serait nécessaire. Parlez-en avec votre "
            "formateur ou votre conseiller.",
        ),
        _to_staff(
            people.counsellor,
            f"Échéance CléA de {people.candidate_name} : {when}",
            f"Le parcours CléA de {people.candidate_name} doit se terminer au plus tard le {when} "
            f"(dans {days_before} jours).",
        ),
        _to_staff(
            people.trainer,
            f"Échéance CléA de {people.candidate_name} : {when}",
            f"Le parcours de formation de {people.candidate_name} doit se terminer au plus tard le {when} "
            f"(dans {days_before} jours).",
        ),
    ]
    return _unique(m for m in messages if m is not None)


def send(messages: Sequence[Message]) -> int:
    """Send through the configured mail backend; SMTP errors propagate (the task retries)."""
    if not messages:
        return 0
    emails = [EmailMessage(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, list(m.to)) for m in messages]
    with get_connection(fail_silently=False) as connection:
        return int(connection.send_messages(emails) or 0)


def _unique(messages: Iterable[Message]) -> list[Message]:
    seen: set[tuple[tuple[str, ...], str]] = set()
    result = []
    for message in messages:
        if (message.to, message.subject) not in seen:
            seen.add((message.to, message.subject))
            result.append(message)
    return result


def _fr_date(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso
