"""Demo: the certified demo candidates get a civil identity (R15) and their certificates a CPF batch that
validates against the schema. Idempotent."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tenants.utils import schema_context

from clea.certification.models import Certificate, HolderIdentity
from clea.certification.services import seal_holder_identity
from clea.ecosystem import cpf
from clea.ecosystem.models import CpfRecord
from clea.identity import services as identity_services
from clea.journey.models import Candidate

DEMO_PLACES = (
    {"birth_postcode": "69001", "birth_commune_name": "Lyon"},
    {"birth_country": "PT", "birth_town_abroad": "Porto"},
    {"birth_insee_code": "59350"},  # Lille
)


def seed_identities_and_cpf() -> str:
    """Give every certified demo candidate an identity, then the CPF batch of their certificates; returns a
    line for the demo's output."""
    certificates = list(Certificate.objects.select_related("submission__organisation").order_by("issued_at"))
    for index, certificate in enumerate(certificates):
        holder = HolderIdentity.objects.filter(submission=certificate.submission).first()
        if holder is not None and holder.complete:
            continue
        with schema_context(certificate.submission.organisation.schema_name):
            candidate = Candidate.objects.filter(pseudonym=certificate.candidate_pseudonym).first()
            if candidate is None:
                continue
            identity_services.save_identity(
                int(candidate.pk),
                {
                    "civility": "MME" if index % 2 == 0 else "M",
                    "birth_name": candidate.last_name,
                    "first_names": [candidate.first_name],
                    "birth_date": date(1985 + index, 1 + index % 12, 10 + index),
                    **DEMO_PLACES[index % len(DEMO_PLACES)],
                },
            )
            seal_holder_identity(certificate.submission)
    if not certificates:
        return "no certificate yet"
    sent = CpfRecord.objects.filter(certificate__in=certificates).count()
    if sent:
        return f"{sent} certificate(s) already in a CPF batch"
    days = [timezone.localtime(c.issued_at).date() for c in certificates]
    prepared = cpf.prepare_batch(min(days), max(days))
    if prepared.batch is None:
        return "nothing to send"
    return f"CPF batch {prepared.batch.pk} ({prepared.batch.records.count()} certificate(s), valid)"
