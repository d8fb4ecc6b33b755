"""The register of training bodies (public schema): search, creation, matching of free-text names.

Training paths and jury members name register entries, so R11 compares identities (``training-body:<id>``),
not spellings. A name typed before the register existed is matched by the kernel's :func:`identity_key`
("Greta Lyon" = "GRETA  Lyon"); what matches nothing is listed for the federation
(:class:`~clea_tenants.models.UnmatchedTrainingName`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from clea.audit.trail import append
from clea.kernel.jury import identity_key
from clea_tenants.models import Organisation, TrainingBody, UnmatchedTrainingName
from clea_tenants.regions import Region
from clea_tenants.validators import register_siret_is_valid


def search(query: str = "", region: str = "") -> QuerySet[TrainingBody]:
    found = TrainingBody.objects.select_related("organisation").order_by("name", "id")
    query = query.strip()
    if query:
        found = found.filter(
            Q(name__icontains=query)
            | Q(name_key__contains=identity_key(query))
            | Q(siret__startswith=query.replace(" ", ""))
        )
    if region:
        found = found.filter(region=region)
    return found


def create(
    name: str, siret: str, region: str, organisation: Organisation | None = None, user: Any = None
) -> TrainingBody:
    """Register a training body (SIRET checked, unique); field errors as ``ValidationError``."""
    errors: dict[str, str | ValidationError] = {}
    siret = "".join(siret.split())
    if not name.strip():
        errors["name"] = "Le nom est obligatoire."
    if not register_siret_is_valid(siret):
        errors["siret"] = ValidationError(
            "SIRET invalide : 14 chiffres avec une clé de contrôle correcte.", code="invalid_siret"
        )
    elif TrainingBody.objects.filter(siret=siret).exists():
        errors["siret"] = "Un organisme de formation porte déjà ce SIRET."
    if region not in Region.values:
        errors["region"] = "Région inconnue."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        body = TrainingBody.objects.create(
            name=name.strip(), siret=siret, region=region, organisation=organisation, name_key=identity_key(name)
        )
        append(
            "register.training_body.created",
            actor=user if getattr(user, "is_authenticated", False) else None,
            object_ref=body.identity,
            detail={"name": body.name, "siret": body.siret, "organisation": organisation.slug if organisation else ""},
        )
    return body


def body_of_organisation(organisation: Organisation) -> TrainingBody:
    """The organisation as a training body (created from its own name, SIRET and region when first needed)."""
    body = TrainingBody.objects.filter(organisation=organisation).first()
    if body is not None:
        return body
    existing = TrainingBody.objects.filter(siret=organisation.siret, organisation__isnull=True).first()
    if existing is not None:
        existing.organisation = organisation
        existing.save(update_fields=["organisation"])
        return existing
    with transaction.atomic():  # the organisation's SIRET was checked when it was provisioned
        body = TrainingBody.objects.create(
            name=organisation.name,
            siret=organisation.siret,
            region=organisation.region,
            organisation=organisation,
            name_key=identity_key(organisation.name),
        )
        append("register.training_body.created", object_ref=body.identity, detail={"organisation": organisation.slug})
    return body


def match_name(name: str, *, enrol_organisation: bool = True) -> TrainingBody | None:
    """The single register entry whose name is ``name`` up to case, accents and spacing (``None`` if 0 or 2+).

    An organisation of the platform with that name is a training body too: with ``enrol_organisation`` it is
    entered in the register (once), else only an existing entry is returned.
    """
    key = identity_key(name)
    if not key:
        return None
    matches = list(TrainingBody.objects.filter(name_key=key)[:2])
    if matches:
        return matches[0] if len(matches) == 1 else None
    hits = [
        o for o in Organisation.objects.only("pk", "name", "slug", "siret", "region") if identity_key(o.name) == key
    ]
    if len(hits) != 1:
        return None
    return body_of_organisation(hits[0]) if enrol_organisation else None


def record_unmatched(schema_name: str, path_id: int, name: str) -> UnmatchedTrainingName:
    row, _ = UnmatchedTrainingName.objects.get_or_create(
        schema_name=schema_name, path_id=path_id, defaults={"name": name}
    )
    return row


def unmatched() -> QuerySet[UnmatchedTrainingName]:
    return UnmatchedTrainingName.objects.filter(resolved_to__isnull=True).order_by("name", "id")


def identities_of_organisation(organisation: Organisation) -> set[str]:
    """How R11 names an organisation the register knows: its label and, if it trains, its body's identity."""
    found = {f"{organisation.name} ({organisation.slug})", organisation.name}
    body = TrainingBody.objects.filter(organisation=organisation).first()
    if body is not None:
        found.add(body.identity)
    return found


def identities_of_body(body: TrainingBody) -> set[str]:
    found = {body.identity, body.name}
    if body.organisation is not None:
        found |= {f"{body.organisation.name} ({body.organisation.slug})", body.organisation.name}
    return found


def name_from_register(typed: str) -> str:
    """The register's spelling of a training body named on a path ("Greta Lyon" → "GRETA Lyon"), else as typed.

    What matches nothing is listed by ``manage.py match_training_bodies`` for the federation to resolve.
    """
    body = match_name(typed, enrol_organisation=False)  # reads only: the journey writes nothing public here
    if body is not None:
        return body.name
    key = identity_key(typed)
    organisation = next((o for o in Organisation.objects.only("name") if identity_key(o.name) == key), None)
    return organisation.name if organisation is not None else typed.strip()
