"""Plain-data views of a file and its mastery, shared by the API and the web pages.

The API returns these dicts as they are (DRF's JSON encoder handles dates and UUIDs); the output serializers
in ``api/serializers.py`` document them in the OpenAPI schema, and a contract test keeps both in step.
"""

from __future__ import annotations

from typing import Any

from clea.journey.models import CandidateFileRecord, Evidence
from clea.journey.services import SYSTEM_CLOCK, Loaded, mastery_of
from clea.kernel.journey import FileState, days_left
from clea.kernel.mastery import MasteryReport
from clea.kernel.ports import Clock
from clea.kernel.referential import Referential
from clea_plugins.types import Modality


def present_mastery(referential: Referential, report: MasteryReport) -> dict[str, Any]:
    subdomains = {sub.code: sub for sub in report.subdomains}
    return {
        "referential_id": report.referential_id,
        "ready_for_jury": report.ready_for_jury,
        "mastered_domains": list(report.mastered_domains),
        "acquired_criteria": len(report.acquired_criteria & referential.criterion_codes),
        "total_criteria": len(referential.criterion_codes),
        "domains": [
            {
                "code": domain.code,
                "title": domain.title,
                "mastered": mastery.mastered,
                "subdomains": [
                    {
                        "code": sub.code,
                        "title": sub.title,
                        "acquired": subdomains[sub.code].acquired,
                        "acquired_criteria": list(subdomains[sub.code].acquired_criteria),
                        "missing_criteria": list(subdomains[sub.code].missing_criteria),
                        "share": float(subdomains[sub.code].share),
                        "threshold": float(subdomains[sub.code].threshold),
                    }
                    for sub in domain.subdomains
                ],
            }
            for domain, mastery in zip(referential.domains, report.domains, strict=True)
        ],
    }


def present_summary(record: CandidateFileRecord) -> dict[str, Any]:
    candidate = record.candidate
    return {
        "id": record.pk,
        "version": record.version,
        "state": record.state,
        "state_label": FileState(record.state).label_fr,
        "candidate": {
            "id": candidate.pk,
            "pseudonym": candidate.pseudonym,
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "birth_date": candidate.birth_date,
            "email": candidate.email,
            "phone": candidate.phone,
            "created_at": candidate.created_at,
            "version": candidate.version,
        },
        "referential_id": record.referential_id,
        "counsellor_id": record.counsellor_id,
        "deadline": record.deadline,
        "updated_at": record.updated_at,
    }


def days_left_of(record: CandidateFileRecord, clock: Clock = SYSTEM_CLOCK) -> int | None:
    """Days until the file's 5-year deadline (R8), ``None`` before the évaluation préalable."""
    return days_left(record.deadline, clock.today()) if record.deadline else None


def present_file(loaded: Loaded, clock: Clock = SYSTEM_CLOCK) -> dict[str, Any]:
    record, file = loaded.record, loaded.file
    path = file.current_path
    return {
        **present_summary(record),
        "days_left": days_left_of(record, clock),
        "referral": (
            {
                "prescriber_type": record.prescriber_type,
                "prescriber_name": record.prescriber_name,
                "referred_on": record.referred_on,
            }
            if record.prescriber_type
            else None
        ),
        "consent_purpose": record.consent_purpose,
        "consent_given_on": record.consent_given_on,
        "evaluations": [
            {
                "kind": e.kind.value,
                "evaluator": e.evaluator,
                "days": list(e.days),
                "modality": e.modality,
                "results": [
                    {
                        "criterion": r.criterion,
                        "acquired": r.acquired,
                        "evaluated_on": r.evaluated_on,
                        "evaluator": r.evaluator,
                        "comment": r.comment,
                        "evidence": list(r.evidence),
                    }
                    for r in e.results
                ],
            }
            for e in file.evaluations
        ],
        "current_path": (
            {
                "trainer": path.trainer,
                "training_organisation": path.training_organisation,
                "objectives": [{"subdomain": o.subdomain, "criteria": list(o.criteria)} for o in path.objectives],
                "sessions": [
                    {"starts_on": s.starts_on, "ends_on": s.ends_on, "subdomains": list(s.subdomains), "label": s.label}
                    for s in path.sessions
                ],
                "ends_on": path.ends_on,
            }
            if path
            else None
        ),
        "decisions": [
            {
                "kind": d.kind.value,
                "actor": d.actor.id,
                "role": d.actor.role,
                "at": d.at,
                "referential_id": d.referential_id,
                "from_state": d.from_state.value if d.from_state else None,
                "to_state": d.to_state.value,
                "detail": dict(d.detail),
            }
            for d in file.decisions
        ],
        "mastery": present_mastery(loaded.referential, mastery_of(loaded)),
        "evidence": [present_evidence(e) for e in record.evidence.all()],
    }


def present_evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "uid": evidence.uid,
        "title": evidence.title,
        "criterion": evidence.criterion,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": evidence.uploaded_at,
        "uploaded_by": evidence.uploaded_by_id,
        "review_status": evidence.review_status,
        "review_reason": evidence.review_reason,
        "reviewed_by": evidence.reviewed_by_id,
        "reviewed_at": evidence.reviewed_at,
        "download_url": f"/api/evidence/{evidence.uid}/download/",
    }


def modality_dict(modality: Modality) -> dict[str, Any]:
    return {
        "key": modality.key,
        "branch": modality.branch,
        "method": modality.method.value,
        "method_label": modality.method.label_fr,
        "real_work_situation": modality.method.is_real_work_situation,
        "scenarios": list(modality.scenarios),
        "duration_minutes": modality.duration_minutes,
        "group_size": modality.group_size,
        "on_site": modality.on_site,
    }
