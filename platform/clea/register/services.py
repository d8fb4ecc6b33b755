"""The federation's decisions on establishments and their accreditations (R14), for the API and the web.

Each function is one transaction: the row change, its :class:`HabilitationEvent` (who, why, when), an entry
in the public audit trail and, for a branch habilitation, the branch :class:`Accreditation` that switches the
branch plugin on or off in the organisation (``clea_tenants.accreditations``). Nothing is deleted.

Refusals: field errors are Django ``ValidationError`` (400 with field messages), rule refusals are kernel
``DomainError`` (R14; ``…_conflict`` → 409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clea.audit.trail import append
from clea.facts.models import JourneyFact
from clea.kernel import accreditation as kernel
from clea.kernel.journey import ACTIVE_STATES
from clea.versioning import check_version
from clea_plugins.manager import get_host
from clea_tenants import accreditations as branch_accreditations
from clea_tenants.geography import department_of_postcode, region_of_department
from clea_tenants.habilitations import kernel_habilitation
from clea_tenants.models import (
    Accreditation,
    Branch,
    Establishment,
    Habilitation,
    HabilitationEvent,
    HabilitationStatus,
    Organisation,
)
from clea_tenants.validators import register_siret_is_valid

REASON_REQUIRED = {kernel.Status.SUSPENDED, kernel.Status.WITHDRAWN}


def _actor_label(user: Any) -> str:
    if user is None:
        return "système"
    return str(getattr(user, "email", "") or getattr(user, "username", "") or user.pk)


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "is_authenticated", False) else None


# --- establishments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstablishmentInput:
    siret: str
    name: str
    address: str
    postcode: str
    city: str


def _clean_establishment(data: EstablishmentInput, exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str | ValidationError] = {}
    siret = "".join(data.siret.split())
    if not register_siret_is_valid(siret):
        errors["siret"] = ValidationError(
            "SIRET invalide : 14 chiffres avec une clé de contrôle correcte.", code="invalid_siret"
        )
    elif Establishment.objects.filter(siret=siret).exclude(pk=exclude_pk or 0).exists():
        errors["siret"] = "Un établissement porte déjà ce SIRET."
    department = department_of_postcode(data.postcode)
    if department is None:
        errors["postcode"] = "Code postal français invalide (5 chiffres)."
    for field in ("name", "address", "city"):
        if not getattr(data, field).strip():
            errors[field] = "Ce champ est obligatoire."
    if errors:
        raise ValidationError(errors)
    assert department is not None
    return {
        "siret": siret,
        "name": data.name.strip(),
        "address": data.address.strip(),
        "postcode": data.postcode.strip(),
        "city": data.city.strip(),
        "department": department,
        "region": region_of_department(department) or "",
    }


def add_establishment(organisation: Organisation, data: EstablishmentInput, user: Any = None) -> Establishment:
    """Register one more SIRET establishment of ``organisation`` (department and region from the postcode)."""
    with transaction.atomic():
        establishment = Establishment.objects.create(organisation=organisation, **_clean_establishment(data))
        append(
            "register.establishment.created",
            actor=_user(user),
            object_ref=f"establishment:{establishment.pk}",
            detail={"organisation": organisation.slug, "siret": establishment.siret},
        )
    return establishment


def update_establishment(establishment: Establishment, data: EstablishmentInput, user: Any = None) -> Establishment:
    with transaction.atomic():
        for field, value in _clean_establishment(data, exclude_pk=establishment.pk).items():
            setattr(establishment, field, value)
        establishment.save()
        append(
            "register.establishment.updated",
            actor=_user(user),
            object_ref=f"establishment:{establishment.pk}",
            detail={"siret": establishment.siret},
        )
    return establishment


# --- habilitations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HabilitationInput:
    programme: str
    valid_from: date
    valid_to: date
    qualiopi_number: str
    qualiopi_body: str
    qualiopi_expires_on: date
    branch: str = ""  # a branch code, or "" for the programme as a whole


def _clean_habilitation(data: HabilitationInput) -> Branch | None:
    errors: dict[str, str | ValidationError] = {}
    if data.programme not in kernel.Programme._value2member_map_:
        errors["programme"] = "Certification inconnue (clea ou clea_numerique)."
    if not data.qualiopi_number.strip():
        errors["qualiopi_number"] = "Le numéro du certificat Qualiopi est obligatoire."
    if not data.qualiopi_body.strip():
        errors["qualiopi_body"] = "L'organisme certificateur Qualiopi est obligatoire."
    branch = None
    if data.branch:
        branch = Branch.objects.filter(code=data.branch).first()
        if branch is None or branch.code not in get_host().codes:
            errors["branch"] = f"Branche inconnue ou non installée : « {data.branch} »."
    if errors:
        raise ValidationError(errors)
    kernel.check_window(data.valid_from, data.valid_to, data.qualiopi_expires_on)
    return branch


def _event(
    habilitation: Habilitation,
    status: kernel.Status,
    effective_on: date,
    reason: str,
    user: Any,
    window: tuple[date, date] | None = None,
) -> HabilitationEvent:
    event = HabilitationEvent.objects.create(
        habilitation=habilitation,
        status=status.value,
        effective_on=effective_on,
        reason=reason,
        decided_by=_user(user),
        decided_by_label=_actor_label(user),
        valid_from=window[0] if window else None,
        valid_to=window[1] if window else None,
    )
    append(
        f"register.habilitation.{status.value}",
        actor=_user(user),
        object_ref=f"habilitation:{habilitation.pk}",
        detail={
            "organisation": habilitation.establishment.organisation.slug,
            "siret": habilitation.establishment.siret,
            "programme": habilitation.programme,
            "branch": habilitation.branch.code if habilitation.branch else "",
            "effective_on": effective_on.isoformat(),
            "reason": reason,
            **({"valid_from": window[0].isoformat(), "valid_to": window[1].isoformat()} if window else {}),
        },
    )
    return event


def apply_for(establishment: Establishment, data: HabilitationInput, user: Any = None) -> Habilitation:
    """Record an application (status ``applied``): not in force until granted."""
    with transaction.atomic():
        branch = _clean_habilitation(data)
        habilitation = Habilitation.objects.create(
            establishment=establishment,
            programme=data.programme,
            branch=branch,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            qualiopi_number=data.qualiopi_number.strip(),
            qualiopi_body=data.qualiopi_body.strip(),
            qualiopi_expires_on=data.qualiopi_expires_on,
            status=HabilitationStatus.APPLIED,
        )
        _event(habilitation, kernel.Status.APPLIED, timezone.localdate(), "", user)
    return habilitation


def grant(establishment: Establishment, data: HabilitationInput, reason: str = "", user: Any = None) -> Habilitation:
    """Accredit the establishment for ``data.programme`` (and branch) over the window, Qualiopi given."""
    with transaction.atomic():
        habilitation = apply_for(establishment, data, user)
        return _set_status(
            habilitation, kernel.Status.GRANTED, data.valid_from, reason, user, window=(data.valid_from, data.valid_to)
        )


def _locked(habilitation: Habilitation, expected_version: int | None = None) -> Habilitation:
    """The habilitation locked for this transaction, at the version the caller read (else ``version_conflict``)."""
    locked = (
        Habilitation.objects.select_for_update(of=("self",))
        .select_related("establishment__organisation", "branch")
        .get(pk=habilitation.pk)
    )
    check_version(locked, expected_version, "Cette habilitation")
    return locked


def _set_status(
    habilitation: Habilitation,
    status: kernel.Status,
    effective_on: date,
    reason: str,
    user: Any,
    window: tuple[date, date] | None = None,
    expected_version: int | None = None,
) -> Habilitation:
    if status in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": "Le motif est obligatoire pour une suspension ou un retrait."})
    with transaction.atomic():
        habilitation = _locked(habilitation, expected_version)
        kernel.check_transition(kernel.Status(habilitation.status), status)
        habilitation.status = status.value
        habilitation.version += 1
        if window:
            habilitation.valid_from, habilitation.valid_to = window
        habilitation.save()
        _event(habilitation, status, effective_on, reason.strip(), user, window)
        _sync_branch_accreditation(habilitation)
    return habilitation


def decide(
    habilitation: Habilitation,
    status: str,
    reason: str = "",
    user: Any = None,
    effective_on: date | None = None,
    expected_version: int | None = None,
) -> Habilitation:
    """Grant an application, suspend, lift a suspension (``granted``), withdraw or mark expired."""
    if status not in kernel.Status._value2member_map_ or status == kernel.Status.APPLIED.value:
        raise ValidationError({"status": "Décision inconnue (granted, suspended, withdrawn, expired)."})
    return _set_status(
        habilitation,
        kernel.Status(status),
        effective_on or timezone.localdate(),
        reason,
        user,
        expected_version=expected_version,
    )


def renew(
    habilitation: Habilitation,
    valid_to: date,
    qualiopi_number: str,
    qualiopi_body: str,
    qualiopi_expires_on: date,
    reason: str = "",
    user: Any = None,
    expected_version: int | None = None,
) -> Habilitation:
    """A new end of validity (and Qualiopi certificate) for a granted, suspended or expired habilitation."""
    with transaction.atomic():
        locked = _locked(habilitation, expected_version)
        data = HabilitationInput(
            locked.programme,
            locked.valid_from,
            valid_to,
            qualiopi_number,
            qualiopi_body,
            qualiopi_expires_on,
            locked.branch.code if locked.branch else "",
        )
        _clean_habilitation(data)
        longer_window = valid_to > locked.valid_to
        new_qualiopi = locked.qualiopi_expires_on is None or qualiopi_expires_on > locked.qualiopi_expires_on
        if valid_to < locked.valid_to or not (longer_window or new_qualiopi):
            raise ValidationError(
                {
                    "valid_to": "Le renouvellement prolonge la validité ou le certificat Qualiopi : choisissez une "
                    "date plus tardive."
                }
            )
        locked.qualiopi_number = qualiopi_number.strip()
        locked.qualiopi_body = qualiopi_body.strip()
        locked.qualiopi_expires_on = qualiopi_expires_on
        locked.save()
        effective = max(timezone.localdate(), locked.valid_from)
        return _set_status(
            locked,
            kernel.Status.GRANTED,
            effective,
            reason or "Renouvellement",
            user,
            window=(locked.valid_from, valid_to),
        )


def _sync_branch_accreditation(habilitation: Habilitation) -> None:
    """The branch plugin is on while a habilitation of that branch is granted (organisation-wide)."""
    if habilitation.branch is None:
        return
    organisation = habilitation.establishment.organisation
    granted = Habilitation.objects.filter(
        establishment__organisation=organisation, branch=habilitation.branch, status=HabilitationStatus.GRANTED
    ).exists()
    active = Accreditation.objects.filter(
        organisation=organisation, branch=habilitation.branch, revoked_at__isnull=True
    ).exists()
    if granted and not active:
        branch_accreditations.grant(organisation, habilitation.branch.code)
    elif active and not granted:
        branch_accreditations.revoke(organisation, habilitation.branch.code)


# --- reading ----------------------------------------------------------------------------------------


def establishments(
    query: str = "", region: str = "", department: str = "", status: str = "", organisation: str = ""
) -> QuerySet[Establishment]:
    """The establishments, filtered (search on name, SIRET, city or organisation)."""
    found = Establishment.objects.select_related("organisation").order_by("organisation__name", "siret")
    if query:
        found = found.filter(
            Q(name__icontains=query)
            | Q(siret__startswith=query.replace(" ", ""))
            | Q(city__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(organisation__slug__icontains=query)
        )
    if region:
        found = found.filter(region=region)
    if department:
        found = found.filter(department=department)
    if organisation:
        found = found.filter(organisation__slug=organisation)
    if status:
        found = found.filter(habilitations__status=status).distinct()
    return found


def valid_on(day: date) -> QuerySet[Habilitation]:
    """Habilitations granted, in their window and with a valid Qualiopi certificate on ``day`` (status now)."""
    return Habilitation.objects.filter(
        status=HabilitationStatus.GRANTED, valid_from__lte=day, valid_to__gte=day
    ).filter(Q(qualiopi_expires_on__isnull=True) | Q(qualiopi_expires_on__gte=day))


def find_establishments(
    region: str | None = None,
    department: str | None = None,
    postcode: str | None = None,
    branch: str | None = None,
    programme: str = kernel.Programme.CLEA.value,
    day: date | None = None,
) -> list[Establishment]:
    """Establishments of accredited organisations, holding a habilitation in force today (for prescribers).

    ``branch``: establishments whose habilitation names that branch, or whose organisation is accredited for it.
    """
    habilitations = valid_on(day or timezone.localdate()).filter(programme=programme)
    if branch:
        habilitations = habilitations.filter(
            Q(branch__code=branch)
            | Q(
                establishment__organisation__accreditations__branch__code=branch,
                establishment__organisation__accreditations__revoked_at__isnull=True,
            )
        )
    found = Establishment.objects.filter(pk__in=habilitations.values("establishment_id")).select_related("organisation")
    if region:
        found = found.filter(region=region)
    if department:
        found = found.filter(department=department)
    if postcode:
        found = found.filter(postcode=postcode)
    return list(found.order_by("region", "department", "postcode", "name"))


def history(habilitation: Habilitation) -> list[HabilitationEvent]:
    return list(habilitation.events.select_related("decided_by").order_by("at", "id"))


def in_force(habilitation: Habilitation, day: date | None = None) -> bool:
    return kernel.covers(kernel_habilitation(habilitation), day or timezone.localdate())


# --- files in progress when an accreditation ends ---------------------------------------------------


@dataclass(frozen=True)
class FileInProgress:
    organisation: str
    file_ref: str
    state: str
    since: datetime


def end_of(habilitation: Habilitation) -> date | None:
    """The last day in force of an ended habilitation (withdrawn, expired, suspended), else ``None``."""
    if habilitation.status not in (
        HabilitationStatus.WITHDRAWN,
        HabilitationStatus.EXPIRED,
        HabilitationStatus.SUSPENDED,
    ):
        return None
    periods = kernel.periods_in_force(kernel_habilitation(habilitation))
    return periods[-1][1] if periods else habilitation.valid_from


def files_in_progress_at_end(habilitation: Habilitation) -> list[FileInProgress]:
    """The organisation's files still open (not certified, withdrawn, expired…) on the habilitation's last day.

    Read from the journey facts the organisations publish (public schema): the latest state of each file then.
    """
    end = end_of(habilitation)
    if end is None:
        return []
    until = datetime.combine(end, time.max, tzinfo=timezone.get_current_timezone())
    latest = (
        JourneyFact.objects.filter(organisation=habilitation.establishment.organisation.slug, at__lte=until)
        .order_by("file_ref", "-at", "-id")
        .distinct("file_ref")
    )
    active = {state.value for state in ACTIVE_STATES}
    return [
        FileInProgress(fact.organisation, fact.file_ref, fact.to_state, fact.at)
        for fact in latest
        if fact.to_state in active
    ]


def ended_with_files() -> list[tuple[Habilitation, list[FileInProgress]]]:
    """Every ended habilitation whose organisation still had files in progress (the federation's worklist)."""
    ended = (
        Habilitation.objects.filter(
            status__in=(HabilitationStatus.WITHDRAWN, HabilitationStatus.EXPIRED, HabilitationStatus.SUSPENDED)
        )
        .select_related("establishment__organisation", "branch")
        .prefetch_related("events")
    )
    result = []
    for habilitation in ended:
        files = files_in_progress_at_end(habilitation)
        if files:
            result.append((habilitation, files))
    return result
