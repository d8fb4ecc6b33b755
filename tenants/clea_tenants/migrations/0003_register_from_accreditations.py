"""Every branch accreditation from before the register becomes a habilitation of the organisation's head
establishment (its own SIRET): granted on the day it was granted, for LEGACY_YEARS (the federation renews it
with the real window and Qualiopi certificate), withdrawn on the day it was revoked. Nothing is deleted."""

from __future__ import annotations

from datetime import date

from django.db import migrations

LEGACY_YEARS = 5
REASON = "Reprise de l'habilitation de branche existante (migration du registre) : fenêtre et Qualiopi à confirmer."


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Accreditation = apps.get_model("clea_tenants", "Accreditation")
    Establishment = apps.get_model("clea_tenants", "Establishment")
    Habilitation = apps.get_model("clea_tenants", "Habilitation")
    HabilitationEvent = apps.get_model("clea_tenants", "HabilitationEvent")
    for accreditation in Accreditation.objects.select_related("organisation").order_by("granted_at", "pk"):
        organisation = accreditation.organisation
        establishment = Establishment.objects.filter(siret=organisation.siret).first()
        if establishment is None:
            establishment = Establishment.objects.create(
                organisation=organisation, siret=organisation.siret, name=organisation.name, address="",
                postcode="", city="", department="", region=organisation.region,
            )
        elif establishment.organisation_id != organisation.pk:
            continue  # two organisations declared one SIRET: left for the federation (no habilitation invented)
        granted_on = accreditation.granted_at.date()
        valid_to = _plus_years(granted_on, LEGACY_YEARS)
        revoked_on = accreditation.revoked_at.date() if accreditation.revoked_at else None
        habilitation = Habilitation.objects.create(
            establishment=establishment, programme="clea", branch_id=accreditation.branch_id,
            valid_from=granted_on, valid_to=valid_to, status="withdrawn" if revoked_on else "granted",
            legacy_accreditation=accreditation, reminders_sent=[],
        )
        HabilitationEvent.objects.create(
            habilitation=habilitation, status="granted", effective_on=granted_on, reason=REASON,
            decided_by_label="migration", valid_from=granted_on, valid_to=valid_to,
        )
        if revoked_on:
            HabilitationEvent.objects.create(
                habilitation=habilitation, status="withdrawn", effective_on=revoked_on,
                reason="Habilitation de branche retirée avant la reprise.", decided_by_label="migration",
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("clea_tenants", "HabilitationEvent").objects.filter(decided_by_label="migration").delete()
    apps.get_model("clea_tenants", "Habilitation").objects.filter(legacy_accreditation__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("clea_tenants", "0002_register")]
    operations = [migrations.RunPython(forwards, backwards)]
