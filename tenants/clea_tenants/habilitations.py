"""R14 as the tenancy layer reads it: the habilitations of an organisation's establishments as kernel values.

The journey's evaluation service calls :func:`check_evaluation_days` (one call, before recording): an
évaluation préalable or finale on a day that no habilitation of the organisation covers is refused with the
kernel's ``not_accredited_on_day`` (R14). The federation's decisions (grant, renew, suspend, withdraw) are
``clea.register.services``; this module only reads, plus :func:`record_setup_habilitation` for the demo and
test set-up (:func:`clea_tenants.accreditations.ensure_accredited`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection
from django.utils import timezone

from clea.kernel import accreditation as kernel
from clea_tenants.geography import department_of_postcode, region_of_department
from clea_tenants.models import Establishment, Habilitation, HabilitationEvent, HabilitationStatus, Organisation

SETUP_REASON = "Habilitation de démonstration ou de test (mise en place)."


def kernel_habilitation(
    habilitation: Habilitation, events: Iterable[HabilitationEvent] | None = None
) -> kernel.Accreditation:
    rows = habilitation.events.all() if events is None else events
    return kernel.Accreditation(
        ref=str(habilitation.pk),
        programme=kernel.Programme(habilitation.programme),
        valid_from=habilitation.valid_from,
        valid_to=habilitation.valid_to,
        qualiopi_expires_on=habilitation.qualiopi_expires_on,
        history=tuple(kernel.StatusChange(kernel.Status(e.status), e.effective_on) for e in rows),
        branch=habilitation.branch.code if habilitation.branch_id and habilitation.branch else None,
    )


def habilitations_of(organisation: Organisation) -> list[kernel.Accreditation]:
    """Every habilitation of the organisation's establishments (two queries)."""
    rows = list(
        Habilitation.objects.filter(establishment__organisation=organisation)
        .select_related("branch")
        .prefetch_related("events")
    )
    return [kernel_habilitation(h) for h in rows]


def check_evaluation_days(days: Sequence[date], programme: kernel.Programme = kernel.Programme.CLEA) -> None:
    """R14 for the organisation the connection is routed to: each evaluation day is covered by a habilitation."""
    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Organisation) or not days:
        return  # the public schema records no evaluation
    kernel.check_accredited_on(tenant.name, days, habilitations_of(tenant), programme)


def head_establishment(organisation: Organisation) -> Establishment:
    """The establishment of the organisation's own SIRET (created from the organisation's details if missing)."""
    establishment = Establishment.objects.filter(siret=organisation.siret).first()
    if establishment is not None:
        return establishment
    return Establishment.objects.create(
        organisation=organisation,
        siret=organisation.siret,
        name=organisation.name,
        address="",
        postcode="",
        city="",
        department="",
        region=organisation.region,
    )


def fill_geography(establishment: Establishment) -> None:
    """Department and region from the postcode (the region chosen is kept when the postcode says nothing)."""
    department = department_of_postcode(establishment.postcode)
    if department:
        establishment.department = department
        establishment.region = region_of_department(department) or establishment.region


def record_setup_habilitation(
    organisation: Organisation, branch_id: int | None, valid_from: date, valid_to: date
) -> Habilitation:
    """A granted CléA habilitation of the head establishment (demo and test set-up; idempotent per branch)."""
    establishment = head_establishment(organisation)
    same = Habilitation.objects.filter(establishment=establishment, status=HabilitationStatus.GRANTED)
    existing = (same.filter(branch__isnull=True) if branch_id is None else same.filter(branch_id=branch_id)).first()
    if existing is not None and existing.valid_from <= valid_from and existing.valid_to >= valid_to:
        return existing
    habilitation = Habilitation.objects.create(
        establishment=establishment,
        programme=kernel.Programme.CLEA.value,
        branch_id=branch_id,
        valid_from=valid_from,
        valid_to=valid_to,
        qualiopi_number="QUALIOPI-DEMO-" + organisation.siret,
        qualiopi_body="Certificateur de démonstration",
        qualiopi_expires_on=valid_to,
        status=HabilitationStatus.GRANTED,
    )
    HabilitationEvent.objects.create(
        habilitation=habilitation,
        status=HabilitationStatus.GRANTED,
        effective_on=valid_from,
        reason=SETUP_REASON,
        decided_by_label="mise en place",
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return habilitation


def today() -> date:
    return timezone.localdate()
