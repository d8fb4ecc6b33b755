"""Erasure on request (GDPR art. 17) and at the end of the retention period.

In one transaction (files in storage are deleted once it commits):
* a **certified** candidate keeps what the certifier must keep: the name, and on the file the jury decision
  with its date and certificate number; everything else is erased;
* anyone else is pseudonymised: the name becomes ``[effacé]``;
* in both cases: birth date, e-mail, phone, the prescriber, consent text, evaluations (results, comments),
  training paths (sessions, progress notes), evidence and generated documents (rows and files) are erased; the
  portal account is anonymised and disabled; decisions stay (R13) without free text (reasons, purposes);
  the federation's copy of a file that was not certified (jury submission) loses the name.

Only closed files can be erased (certified, refused, withdrawn, transferred, expired) or a welcome that
never became a file (no consent): an active file must be withdrawn first, and a file awaiting the jury
waits for its decision (409 ``state_conflict``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from clea.audit.trail import append
from clea.certification.models import HolderIdentity, JurySubmission
from clea.identity import services as identity_services
from clea.journey.models import (
    Candidate,
    CandidateFileRecord,
    DecisionRecord,
    Document,
    EvaluationRecord,
    Evidence,
    TrainingPathRecord,
)
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState
from clea.prescribers.inbox.services import erase_referrals
from clea.privacy.models import ErasureRecord
from clea.privacy.personal_data import PERSONAL_FIELDS, scrub_detail
from clea_tenants.models import Organisation
from clea_tenants.schemas import current_schema

logger = logging.getLogger(__name__)

ERASABLE_STATES: frozenset[str] = frozenset(
    s.value
    for s in (
        FileState.REFERRED,
        FileState.CERTIFIED,
        FileState.REFUSED,
        FileState.WITHDRAWN,
        FileState.TRANSFERRED,
        FileState.EXPIRED,
    )
)
ERASED_NAME = "[effacé]"
KEPT_AFTER_CERTIFICATION: tuple[str, ...] = (
    "candidate.first_name",
    "candidate.last_name",
    "identity (civility, birth and usage names, first names, birth date and place: R15)",
    "decision.jury_decision (date, outcome, certificate_number)",
)
KEPT_ALWAYS: tuple[str, ...] = (
    "candidate.pseudonym",
    "files (state, referential version, dates)",
    "decisions (kind, who decided, when, states; no free text)",
    "audit trail (references only)",
)


@dataclass
class ErasureReport:
    candidate_id: int
    erased_at: str
    reason: str
    certified: bool
    kept: list[str]
    erased: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "erased_at": self.erased_at,
            "reason": self.reason,
            "certified": self.certified,
            "kept": self.kept,
            "erased": self.erased,
            "note": self.note,
        }


def erasable(states: set[str]) -> bool:
    return states <= ERASABLE_STATES


def _scrub(detail: Any) -> dict[str, Any]:
    """A decision's detail with only the keys declared ``keep`` (``clea.privacy.personal_data``): the
    prescriber's name, free text (reasons, purposes) and any undeclared key are blanked."""
    return scrub_detail(detail)


def _blank(field: Any) -> Any:
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        default = field.get_default()
        return type(default)() if isinstance(default, list | dict) else None
    return ""


def _blank_declared(file_ids: list[int]) -> int:
    """Every declared personal field reachable from the person's files (``PERSONAL_FIELDS``), blanked."""
    changed = 0
    for label, holder in PERSONAL_FIELDS.items():
        if holder.file_lookup is None:
            continue
        try:
            model = apps.get_model(label)
        except LookupError:  # a branch plugin's app not installed here
            continue
        name = holder.file_lookup.split("__")[0]
        target = model._meta.pk if name == "pk" else model._meta.get_field(name)
        refs: list[Any] = [str(i) for i in file_ids] if isinstance(target, models.CharField) else list(file_ids)
        values = {name: _blank(model._meta.get_field(name)) for name in holder.fields}
        changed += model._default_manager.filter(**{f"{holder.file_lookup}__in": refs}).update(**values)
    return changed


def _delete_from_storage(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged; the purge task sweeps again
            logger.exception("could not delete %s from storage", name)


def erase_candidate(
    candidate_id: int, *, actor: Any = None, actor_ref: str = "", reason: str = "request"
) -> ErasureReport:
    """Erase candidate ``candidate_id`` (see the module docstring). ``Candidate.DoesNotExist`` if unknown."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        files = list(CandidateFileRecord.objects.select_for_update().filter(candidate=candidate))
        states = {f.state for f in files}
        if not erasable(states):
            raise DomainError(
                "state_conflict",
                None,
                "Effacement impossible : un dossier de cette personne est encore en cours ou attend le jury. "
                "Retirez d'abord le dossier (ou attendez la décision du jury), puis effacez.",
                "Cannot erase: a file of this person is still active or awaiting the jury. Withdraw it first "
                "(or wait for the jury's decision), then erase.",
            )
        certified = FileState.CERTIFIED.value in states
        file_ids = [f.pk for f in files]
        evidence = Evidence.objects.filter(file_id__in=file_ids)
        documents = Document.objects.filter(file_id__in=file_ids)
        storage_names = [str(name) for name in evidence.values_list("content", flat=True) if name]
        storage_names += [str(name) for name in documents.values_list("content", flat=True) if name]
        counts = {
            "evidence": evidence.count(),
            "documents": documents.count(),
            "evaluations": EvaluationRecord.objects.filter(file_id__in=file_ids).count(),
            "training_paths": TrainingPathRecord.objects.filter(file_id__in=file_ids).count(),
        }
        evidence.delete()
        documents.delete()
        EvaluationRecord.objects.filter(file_id__in=file_ids).delete()  # criterion results cascade
        TrainingPathRecord.objects.filter(file_id__in=file_ids).delete()  # sessions and notes cascade
        decisions = list(DecisionRecord.objects.filter(file_id__in=file_ids))
        for decision in decisions:
            decision.detail = _scrub(decision.detail)
        DecisionRecord.objects.bulk_update(decisions, ["detail"])
        counts["decisions_scrubbed"] = len(decisions)
        CandidateFileRecord.objects.filter(pk__in=file_ids).update(
            prescriber_name="",
            referred_on=None,
            consent_purpose="",
            consent_given_on=None,
            reminders_sent=[],
            deadline=None,
        )
        counts["files"] = len(file_ids)
        counts["declared_fields_blanked"] = _blank_declared(file_ids)
        counts["referrals_erased"] = erase_referrals(file_ids)  # prescribers' referrals: copy erased, sharing stops
        user = candidate.user
        if user is not None:
            Token.objects.filter(user=user).delete()
            user.username = f"erased-{uuid.uuid4().hex[:12]}"
            user.email = ""
            user.first_name = ""
            user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            counts["portal_account"] = 1
        if not certified:
            candidate.first_name = ""
            candidate.last_name = ERASED_NAME
        candidate.birth_date = None
        candidate.email = ""
        candidate.phone = ""
        candidate.user = None
        candidate.save()
        counts["identity"] = identity_services.erase(candidate, certified=certified)  # kept if certified (R15)
        counts["jury_submissions_pseudonymised"] = _pseudonymise_submissions(candidate, [str(f) for f in file_ids])
        now = timezone.now()
        ref = actor_ref or (f"user:{actor.pk}" if actor is not None else "system")
        ErasureRecord.objects.update_or_create(
            candidate_id=candidate.pk,
            defaults={"erased_at": now, "reason": reason, "certified": certified, "actor_ref": ref, "counts": counts},
        )
        append(
            "gdpr.erase",
            actor=actor,
            actor_ref=ref if actor is None else None,
            actor_role="system" if actor is None else None,
            object_ref=f"candidate:{candidate.pk}",
            detail={"reason": reason, "certified": certified, "files": file_ids, "counts": counts},
        )
        transaction.on_commit(partial(_delete_from_storage, storage_names))
    kept = [*KEPT_AFTER_CERTIFICATION, *KEPT_ALWAYS] if certified else list(KEPT_ALWAYS)
    note = (
        "Certifié : le certificateur conserve le numéro du certificat, le nom, la date et la décision ; "
        "tout le reste est effacé."
        if certified
        else "Non certifié : les données personnelles sont effacées ; le dossier ne garde qu'un pseudonyme."
    )
    return ErasureReport(candidate.pk, now.isoformat(), reason, certified, kept, counts, note)


def _pseudonymise_submissions(candidate: Candidate, file_refs: list[str]) -> int:
    """The federation's copy of files not certified loses the name (cross-schema on purpose, like a submission)."""

    schema = current_schema()
    submissions = JurySubmission.objects.filter(
        organisation__in=Organisation.objects.filter(schema_name=schema),
        file_ref__in=file_refs,
    ).exclude(status="certified")
    changed = 0
    for submission in submissions:
        snapshot = dict(submission.snapshot or {})
        if "candidate_name" in snapshot:
            snapshot["candidate_name"] = ERASED_NAME
        submission.candidate_name = ERASED_NAME
        submission.snapshot = snapshot
        submission.save(update_fields=["candidate_name", "snapshot"])
        HolderIdentity.objects.filter(submission=submission).delete()  # its sealed civil identity too (R15)
        changed += 1
    return changed
