"""R2: moving a file to another organisation, with consent, and nothing else.

The source organisation closes its copy and hands out a *bundle*: the person, the file's history and its
evidence, signed (Django's signing, keyed by SECRET_KEY) and addressed to one target organisation. The target
verifies the signature and the address before importing; a bundle imports once.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction

from clea.accounts.models import User
from clea.journey import repository as repo
from clea.journey.models import Candidate, CandidateFileRecord, DecisionRecord, Evidence
from clea.journey.services import SYSTEM_CLOCK, Loaded, actor_for, apply_transition, lock_file
from clea.kernel import journey as kernel
from clea.kernel.errors import DomainError
from clea.kernel.journey import (
    Actor,
    CandidateFile,
    Consent,
    Decision,
    DecisionKind,
    FileState,
    Objective,
    TrainingPath,
    TrainingSession,
)
from clea.kernel.mastery import CriterionResult, Evaluation, EvaluationKind
from clea.kernel.ports import Clock
from clea.referentials.registry import get_referential
from clea_tenants.models import Organisation

SALT = "clea.journey.transfer"
BUNDLE_MAX_AGE = 60 * 60 * 24 * 30  # a bundle is valid 30 days


def _foreign(ref: str, organisation: str) -> str:
    """People of the source organisation stay distinct from the target's own users, so R7 still holds."""
    return ref if "/" in ref else f"{organisation}/{ref}"


# --- kernel file <-> JSON ------------------------------------------------------------------------


def _evaluation_json(e: Evaluation, org: str) -> dict[str, Any]:
    return {
        "kind": e.kind.value,
        "evaluator": _foreign(e.evaluator, org),
        "organisation": e.organisation or org,
        "days": [d.isoformat() for d in e.days],
        "modality": e.modality,
        "results": [
            {
                "criterion": r.criterion,
                "acquired": r.acquired,
                "evaluated_on": r.evaluated_on.isoformat(),
                "evaluator": _foreign(r.evaluator, org),
                "comment": r.comment,
                "evidence": list(r.evidence),
            }
            for r in e.results
        ],
    }


def _evaluation(data: dict[str, Any], referential_id: str) -> Evaluation:
    return Evaluation(
        kind=EvaluationKind(data["kind"]),
        referential_id=referential_id,
        evaluator=data["evaluator"],
        days=tuple(date.fromisoformat(d) for d in data["days"]),
        results=tuple(
            CriterionResult(
                r["criterion"],
                r["acquired"],
                date.fromisoformat(r["evaluated_on"]),
                r["evaluator"],
                tuple(r["evidence"]),
                r["comment"],
            )
            for r in data["results"]
        ),
        modality=data["modality"],
        organisation=data["organisation"],
    )


def _path_json(p: TrainingPath, org: str) -> dict[str, Any]:
    return {
        "trainer": _foreign(p.trainer, org),
        "training_organisation": p.training_organisation,
        "objectives": [{"subdomain": o.subdomain, "criteria": list(o.criteria)} for o in p.objectives],
        "sessions": [
            {
                "starts_on": s.starts_on.isoformat(),
                "ends_on": s.ends_on.isoformat(),
                "subdomains": list(s.subdomains),
                "label": s.label,
            }
            for s in p.sessions
        ],
    }


def _path(data: dict[str, Any]) -> TrainingPath:
    return TrainingPath(
        trainer=data["trainer"],
        training_organisation=data["training_organisation"],
        objectives=tuple(Objective(o["subdomain"], tuple(o["criteria"])) for o in data["objectives"]),
        sessions=tuple(
            TrainingSession(
                date.fromisoformat(s["starts_on"]), date.fromisoformat(s["ends_on"]), tuple(s["subdomains"]), s["label"]
            )
            for s in data["sessions"]
        ),
    )


def _decision_json(d: Decision) -> dict[str, Any]:
    return {
        "kind": d.kind.value,
        "actor": _foreign(d.actor.id, d.actor.organisation),
        "role": d.actor.role,
        "organisation": d.actor.organisation,
        "at": d.at.isoformat(),
        "referential_id": d.referential_id,
        "from_state": d.from_state.value if d.from_state else "",
        "to_state": d.to_state.value,
        "detail": dict(d.detail),
    }


def _decision(d: dict[str, Any]) -> Decision:
    return Decision(
        DecisionKind(d["kind"]),
        Actor(d["actor"], d["role"], d["organisation"]),
        datetime.fromisoformat(d["at"]),
        d["referential_id"],
        FileState(d["from_state"]) if d["from_state"] else None,
        FileState(d["to_state"]),
        d["detail"],
    )


# --- export --------------------------------------------------------------------------------------


def export_bundle(record: CandidateFileRecord, file: CandidateFile, target: str) -> str:
    candidate = record.candidate
    org = file.organisation
    payload = {
        "target": target,
        "source": org,
        "source_file": file.file_id,
        "referential_id": file.referential_id,
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "birth_date": candidate.birth_date.isoformat() if candidate.birth_date else None,
            "email": candidate.email,
            "phone": candidate.phone,
        },
        "referral": {
            "prescriber_type": record.prescriber_type,
            "prescriber_name": record.prescriber_name,
            "referred_on": record.referred_on.isoformat() if record.referred_on else None,
        },
        "evaluations": [_evaluation_json(e, org) for e in file.evaluations],
        "archived_evaluations": [_evaluation_json(e, org) for e in file.archived_evaluations],
        "paths": [_path_json(p, org) for p in file.paths],
        "decisions": [_decision_json(d) for d in file.decisions],
        "evidence": [
            {
                "uid": str(e.uid),
                "criterion": e.criterion,
                "title": e.title,
                "content_type": e.content_type,
                "sha256": e.sha256,
                "data": base64.b64encode(e.content.read()).decode("ascii"),
            }
            for e in record.evidence.all()
        ],
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def do_transfer_out(
    file_id: int, version: int | None, target: str, consent: Consent | None, user: User, clock: Clock = SYSTEM_CLOCK
) -> tuple[Loaded, str]:
    # The target is named by its slug, as everywhere in the API (its schema name is still understood).
    named = Organisation.objects.exclude(schema_name="public")
    found = named.filter(slug=target).first() or named.filter(schema_name=target).first()
    if found is None:
        raise DomainError(
            "unknown_organisation",
            "R2",
            f"Organisme destinataire inconnu : {target}.",
            f"Unknown target organisation: {target}.",
        )
    target = found.schema_name
    with transaction.atomic():
        loaded = lock_file(file_id, version)
        transition = kernel.transfer_out(loaded.file, target, consent, actor_for(user), clock)
        bundle = export_bundle(loaded.record, transition.file, target)
        loaded.record.transferred_to = target
        loaded.record.save(update_fields=["transferred_to"])
        return apply_transition(loaded, transition), bundle


# --- import --------------------------------------------------------------------------------------


def _invalid_bundle(reason_fr: str, reason_en: str) -> DomainError:
    return DomainError("invalid_bundle", "R2", reason_fr, reason_en)


def read_bundle(bundle: str) -> dict[str, Any]:
    try:
        payload: dict[str, Any] = signing.loads(bundle, salt=SALT, max_age=BUNDLE_MAX_AGE)
    except signing.SignatureExpired:
        raise _invalid_bundle("Ce paquet de transfert a expiré.", "This transfer bundle has expired.") from None
    except signing.BadSignature:
        raise _invalid_bundle(
            "Ce paquet de transfert n'est pas authentique ou a été modifié.",
            "This transfer bundle is not authentic or was altered.",
        ) from None
    if payload.get("target") != repo.organisation_ref():
        raise _invalid_bundle(
            "Ce paquet de transfert est destiné à un autre organisme.",
            "This transfer bundle is addressed to another organisation.",
        )
    return payload


def _exported_file(payload: dict[str, Any]) -> CandidateFile:
    referential_id = payload["referential_id"]
    return CandidateFile(
        file_id=payload["source_file"],
        candidate="",
        organisation=payload["source"],
        referential_id=referential_id,
        state=FileState.TRANSFERRED,
        evaluations=tuple(_evaluation(e, referential_id) for e in payload["evaluations"]),
        archived_evaluations=tuple(_evaluation(e, referential_id) for e in payload["archived_evaluations"]),
        paths=tuple(_path(p) for p in payload["paths"]),
        decisions=tuple(_decision(d) for d in payload["decisions"]),
    )


def _store_evidence(record: CandidateFileRecord, items: list[dict[str, Any]], uploader: User) -> None:
    for item in items:
        data = base64.b64decode(item["data"])
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise _invalid_bundle(
                "Une preuve du paquet est corrompue.", "A piece of evidence in the bundle is corrupt."
            )
        evidence = Evidence(
            uid=item["uid"],
            file=record,
            criterion=item["criterion"],
            title=item["title"],
            content_type=item["content_type"],
            size=len(data),
            sha256=item["sha256"],
            uploaded_by=uploader,
        )
        evidence.content.save(item["uid"], ContentFile(data), save=False)
        evidence.save()


def do_import(bundle: str, consent: Consent | None, user: User, clock: Clock = SYSTEM_CLOCK) -> Loaded:
    payload = read_bundle(bundle)
    source_ref = f"{payload['source']}:{payload['source_file']}"
    referential = get_referential(payload["referential_id"])
    exported = _exported_file(payload)
    with transaction.atomic():
        if CandidateFileRecord.objects.select_for_update().filter(transferred_from=source_ref).exists():
            raise DomainError(
                "transfer_already_imported_conflict",
                "R2",
                "Ce dossier a déjà été repris par cet organisme.",
                "This file was already taken over by this organisation.",
            )
        person = payload["candidate"]
        candidate = Candidate.objects.create(
            first_name=person["first_name"],
            last_name=person["last_name"],
            birth_date=date.fromisoformat(person["birth_date"]) if person["birth_date"] else None,
            email=person["email"],
            phone=person["phone"],
        )
        referral = payload["referral"]
        record = CandidateFileRecord.objects.create(
            candidate=candidate,
            referential_id=referential.identity,
            state=FileState.TRANSFERRED.value,
            counsellor=user,
            prescriber_type=referral["prescriber_type"],
            prescriber_name=referral["prescriber_name"],
            referred_on=date.fromisoformat(referral["referred_on"]) if referral["referred_on"] else None,
            transferred_from=source_ref,
        )
        transition = kernel.receive_transfer(
            exported, str(record.pk), repo.organisation_ref(), referential, consent, actor_for(user), clock
        )
        assert transition.file.consent is not None
        record.consent_purpose = transition.file.consent.purpose
        record.consent_given_on = transition.file.consent.given_on
        record.save(update_fields=["consent_purpose", "consent_given_on"])
        _store_evidence(record, payload["evidence"], user)
        for archived, evaluations in ((True, exported.archived_evaluations), (False, exported.evaluations)):
            for evaluation in evaluations:
                repo.save_evaluation(record, evaluation, archived=archived)
        for path in exported.paths:
            repo.save_path(record, path)
        DecisionRecord.objects.bulk_create(repo.decision_record(record, d) for d in exported.decisions)
        return apply_transition(Loaded(record, transition.file), transition)
