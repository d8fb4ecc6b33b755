"""Everything this organisation holds about one candidate, as machine-readable JSON and a readable PDF.

GDPR art. 15 (access) and 20 (portability). The JSON is the reference: the PDF lays out the same data.
Read in a fixed number of queries whatever the number of files.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from clea import pdf
from clea.identity import services as identity_services
from clea.journey.models import (
    Candidate,
    CandidateFileRecord,
    EvaluationRecord,
    TrainingPathRecord,
)
from clea.privacy.models import ErasureRecord, RetentionPolicy
from clea.privacy.register import processing_for_candidates
from clea_tenants.schemas import current_schema, current_tenant

EXPORT_FORMAT = "clea-personal-data-export/1"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _files(candidate: Candidate) -> list[CandidateFileRecord]:
    return list(
        CandidateFileRecord.objects.filter(candidate=candidate)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=EvaluationRecord.objects.order_by("recorded_at", "id").prefetch_related("results"),
            ),
            Prefetch(
                "paths",
                queryset=TrainingPathRecord.objects.order_by("created_at", "id").prefetch_related("sessions", "notes"),
            ),
            "decisions",
            "evidence",
            "documents",
        )
    )


def _file_data(record: CandidateFileRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "state": record.state,
        "referential_id": record.referential_id,
        "counsellor": f"user:{record.counsellor_id}" if record.counsellor_id else None,
        "referral": {
            "prescriber_type": record.prescriber_type,
            "prescriber_name": record.prescriber_name,
            "referred_on": _iso(record.referred_on),
        }
        if record.prescriber_type
        else None,
        "consent": {"purpose": record.consent_purpose, "given_on": _iso(record.consent_given_on)}
        if record.consent_given_on
        else None,
        "deadline": _iso(record.deadline),
        "transferred_from": record.transferred_from,
        "transferred_to": record.transferred_to,
        "created_at": _iso(record.created_at),
        "updated_at": _iso(record.updated_at),
        "evaluations": [
            {
                "kind": evaluation.kind,
                "evaluator": evaluation.evaluator_ref,
                "organisation": evaluation.organisation,
                "days": [_iso(day) for day in evaluation.days],
                "modality": evaluation.modality,
                "archived": evaluation.archived,
                "recorded_at": _iso(evaluation.recorded_at),
                "results": [
                    {
                        "criterion": result.criterion,
                        "acquired": result.acquired,
                        "evaluated_on": _iso(result.evaluated_on),
                        "evaluator": result.evaluator_ref,
                        "comment": result.comment,
                        "evidence": list(result.evidence),
                    }
                    for result in sorted(evaluation.results.all(), key=lambda r: r.criterion)
                ],
            }
            for evaluation in record.evaluations.all()
        ],
        "training_paths": [
            {
                "trainer": path.trainer_ref,
                "training_organisation": path.training_organisation,
                "objectives": path.objectives,
                "created_at": _iso(path.created_at),
                "sessions": [
                    {
                        "starts_on": _iso(s.starts_on),
                        "ends_on": _iso(s.ends_on),
                        "subdomains": list(s.subdomains),
                        "label": s.label,
                    }
                    for s in path.sessions.all()
                ],
                "notes": [
                    {
                        "author": f"user:{n.author_id}",
                        "subdomain": n.subdomain,
                        "text": n.text,
                        "created_at": _iso(n.created_at),
                    }
                    for n in path.notes.all()
                ],
            }
            for path in record.paths.all()
        ],
        "decisions": [
            {
                "kind": d.kind,
                "actor": d.actor_ref,
                "role": d.actor_role,
                "organisation": d.actor_organisation,
                "at": _iso(d.at),
                "referential_id": d.referential_id,
                "from_state": d.from_state,
                "to_state": d.to_state,
                "detail": d.detail,
            }
            for d in record.decisions.all()
        ],
        "evidence": [
            {
                "uid": str(e.uid),
                "title": e.title,
                "criterion": e.criterion,
                "content_type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "uploaded_at": _iso(e.uploaded_at),
                "uploaded_by": f"user:{e.uploaded_by_id}",
            }
            for e in record.evidence.all()
        ],
        "documents": [
            {
                "uid": str(doc.uid),
                "kind": doc.kind,
                "title": doc.title,
                "size": doc.size,
                "created_at": _iso(doc.created_at),
            }
            for doc in record.documents.all()
        ],
    }


def _consents(files: list[CandidateFileRecord]) -> list[dict[str, Any]]:
    """Every consent on record: the file's current one, and each decision that carried a purpose."""
    consents: list[dict[str, Any]] = []
    for record in files:
        for decision in record.decisions.all():
            purpose = decision.detail.get("purpose") if isinstance(decision.detail, dict) else None
            if purpose:
                consents.append(
                    {
                        "file": record.pk,
                        "purpose": purpose,
                        "given_on": _iso(decision.at.date()),
                        "event": decision.kind,
                    }
                )
        if record.consent_given_on:
            current = {"file": record.pk, "purpose": record.consent_purpose, "given_on": _iso(record.consent_given_on)}
            if not any(c["purpose"] == current["purpose"] and c["given_on"] == current["given_on"] for c in consents):
                consents.append({**current, "event": "current"})
    return consents


def candidate_export(candidate: Candidate) -> dict[str, Any]:
    """The whole export as plain JSON-ready data."""
    files = _files(candidate)
    tenant = current_tenant()
    policy = RetentionPolicy.current()
    erasure = ErasureRecord.objects.filter(candidate_id=candidate.pk).first()
    user = candidate.user
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "organisation": {
            "schema": current_schema(),
            "slug": getattr(tenant, "slug", ""),
            "name": getattr(tenant, "name", ""),
        },
        "candidate": {
            "id": candidate.pk,
            "pseudonym": str(candidate.pseudonym),
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "birth_date": _iso(candidate.birth_date),
            "email": candidate.email,
            "phone": candidate.phone,
            "created_at": _iso(candidate.created_at),
            "portal_account": {"username": user.username, "email": user.email, "last_login": _iso(user.last_login)}
            if user
            else None,
            "identity": identity_services.as_dict(identity_services.identity_of(candidate)),
        },
        "files": [_file_data(record) for record in files],
        "consents": _consents(files),
        "retention": {
            "closed_file_months": policy.closed_file_months,
            "evidence_months": policy.evidence_months,
            "unopened_file_months": policy.unopened_file_months,
        },
        "processing": processing_for_candidates(),
        "erasure": {"erased_at": _iso(erasure.erased_at), "reason": erasure.reason, "certified": erasure.certified}
        if erasure
        else None,
    }


def export_pdf(data: dict[str, Any]) -> bytes:
    """A readable rendering of :func:`candidate_export` (A4, French)."""

    def para(value: Any, style: str = "BodyText") -> Paragraph:
        return pdf.paragraph(pdf.text(value), style)

    def table(rows: list[tuple[str, Any]]) -> Table:
        return Table([[para(k), para(v)] for k, v in rows], colWidths=[5 * cm, 12 * cm])

    person = data["candidate"]
    story: list[Flowable] = [
        para("Vos données personnelles — CléA", "Title"),
        para(f"{data['organisation']['name']} — document établi le {data['generated_at'][:10]}", "Heading3"),
        para(
            "Ce document reprend toutes les données que l'organisme détient sur vous (droit d'accès, RGPD art. 15). "
            "La même information existe au format JSON, lisible par une machine (droit à la portabilité, art. 20)."
        ),
        Spacer(1, 0.3 * cm),
        para("Identité", "Heading2"),
        table(
            [
                ("Prénom", person["first_name"]),
                ("Nom", person["last_name"]),
                ("Date de naissance", person["birth_date"]),
                ("Courriel", person["email"]),
                ("Téléphone", person["phone"]),
                ("Pseudonyme", person["pseudonym"]),
                ("Accueilli le", person["created_at"]),
            ]
        ),
        para("Consentements", "Heading2"),
    ]
    story += [
        para(f"Dossier {c['file']} : « {c['purpose']} », donné le {c['given_on']}") for c in data["consents"]
    ] or [para("Aucun consentement enregistré.")]
    for record in data["files"]:
        story += [
            para(f"Dossier {record['id']} — étape : {record['state']}", "Heading2"),
            table(
                [
                    ("Référentiel", record["referential_id"]),
                    ("Ouvert le", record["created_at"]),
                    ("Échéance", record["deadline"]),
                    ("Prescripteur", (record["referral"] or {}).get("prescriber_name")),
                ]
            ),
            para("Évaluations", "Heading3"),
        ]
        for evaluation in record["evaluations"]:
            acquired = [r["criterion"] for r in evaluation["results"] if r["acquired"]]
            story.append(
                para(
                    f"{evaluation['kind']} ({', '.join(d or '' for d in evaluation['days'])}) : "
                    f"{len(acquired)} critère(s) acquis sur {len(evaluation['results'])} évalué(s)"
                )
            )
            story += [para(f"{r['criterion']} : {r['comment']}") for r in evaluation["results"] if r["comment"]]
        story.append(para("Parcours de formation", "Heading3"))
        story += [
            para(f"{p['training_organisation']} : {len(p['sessions'])} session(s), {len(p['notes'])} note(s)")
            for p in record["training_paths"]
        ] or [para("Aucun.")]
        story.append(para("Décisions", "Heading3"))
        story += [
            para(f"{d['at'][:10]} : {d['kind']} ({d['from_state'] or '—'} → {d['to_state']})")
            for d in record["decisions"]
        ]
        story.append(para("Preuves", "Heading3"))
        story += [para(f"{e['title']} ({e['content_type']}, {e['size']} octets)") for e in record["evidence"]] or [
            para("Aucune.")
        ]
    story += [
        para("Durées de conservation", "Heading2"),
        para(
            f"Dossiers clos : {data['retention']['closed_file_months']} mois ; preuves : "
            f"{data['retention']['evidence_months']} mois après clôture ; accueil sans consentement : "
            f"{data['retention']['unopened_file_months']} mois."
        ),
        para("Traitements", "Heading2"),
    ]
    story += [para(f"{p['name']} — base légale : {p['legal_basis']}") for p in data["processing"]]
    return pdf.render(story, title="Vos données personnelles — CléA", author=str(data["organisation"]["name"]))
