"""Prescribers' state changes (public schema), each in one transaction; the API and the web both call them.

Business refusals raise :class:`~clea.kernel.errors.DomainError` (HTTP 400, a French message on the web).
A referral reaches the chosen organisation by a task run in that organisation's schema
(``clea.tasks.prescribers.deliver_referral``), written to the outbox in the referral's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clea.accounts.roles import Role
from clea.kernel.errors import DomainError
from clea.kernel.prescribers import FollowedReferral, PrescriberFigures, Stage, figures
from clea.outbox.writer import enqueue
from clea.prescribers.geography import establishments_in_force, organisations_near
from clea.prescribers.models import (
    Cohort,
    Invitation,
    PrescriberMember,
    PrescriberOrganisation,
    PrescriberStatus,
    Referral,
)
from clea.prescribers.sessions import SESSIONS_EACH, UpcomingSession, next_sessions
from clea_tenants.models import Establishment, Organisation, OrganisationStatus

DELIVER_TASK = "clea.tasks.prescribers.deliver_referral"
INVITATION_TASK = "clea.tasks.prescribers.send_invitation"
RESULT_TASK = "clea.tasks.prescribers.send_result"
DEFAULT_CONSENT_WORDING = (
    "J'accepte d'être orienté(e) vers cet organisme pour le certificat CléA, et que l'organisme informe "
    "le prescripteur de l'étape de mon parcours et de son résultat (jamais du contenu de mes évaluations). "
    "Je peux retirer ce consentement à tout moment."
)


def refused(code: str, message_fr: str, message_en: str) -> DomainError:
    return DomainError(code, "R1", message_fr, message_en)


# --- prescriber organisations and their users --------------------------------------------------------


def create_organisation(
    details: Mapping[str, Any], *, admin_email: str, approved: bool, by: Any
) -> PrescriberOrganisation:
    """A prescriber organisation (approved at once by a federation admin, else pending) and the invitation
    of its first administrator (sent when the organisation is approved)."""
    with transaction.atomic():
        organisation = PrescriberOrganisation(
            **{key: details[key] for key in ("kind", "name", "siret", "region", "contact_email") if key in details}
        )
        try:
            organisation.full_clean()
        except ValidationError as error:
            raise refused(
                "invalid_prescriber_organisation", " ".join(error.messages), "Invalid prescriber organisation."
            ) from error
        if approved:
            organisation.status = PrescriberStatus.APPROVED
            organisation.approved_at = timezone.now()
        organisation.save()
        invitation = Invitation.objects.create(
            organisation=organisation, email=admin_email, is_admin=True, invited_by=by
        )
        if approved:
            enqueue(INVITATION_TASK, [invitation.pk], schema_name="public")
    return organisation


def approve_organisation(organisation_id: int, by: Any) -> PrescriberOrganisation:
    with transaction.atomic():
        organisation = PrescriberOrganisation.objects.select_for_update().get(pk=organisation_id)
        if organisation.status != PrescriberStatus.APPROVED:
            organisation.status = PrescriberStatus.APPROVED
            organisation.approved_at = timezone.now()
            organisation.save(update_fields=["status", "approved_at"])
            for invitation in organisation.invitations.filter(accepted_at__isnull=True):
                enqueue(INVITATION_TASK, [invitation.pk], schema_name="public")
    return organisation


def invite(member: PrescriberMember, email: str, *, is_admin: bool = False) -> Invitation:
    """A prescriber admin invites a colleague (an e-mail with a link to choose a password)."""
    if not member.is_admin:
        raise refused(
            "prescriber_admin_only",
            "Seul un administrateur de votre organisation peut inviter.",
            "Only an administrator of your organisation may invite colleagues.",
        )
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists():
        raise refused("already_member", "Cette adresse a déjà un compte.", "This address already has an account.")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=member.organisation, email=email, is_admin=is_admin, invited_by=member.user
        )
        enqueue(INVITATION_TASK, [invitation.pk], schema_name="public")
    return invitation


def open_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token=token, accepted_at__isnull=True, organisation__status=PrescriberStatus.APPROVED)
        .first()
    )


def accept_invitation(token: str, *, first_name: str, last_name: str, password: str) -> PrescriberMember:
    """The invited person chooses a password: a ``prescriber`` user of the public schema, member of the org."""
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token=token, accepted_at__isnull=True, organisation__status=PrescriberStatus.APPROVED)
            .first()
        )
        if invitation is None:
            raise refused(
                "invitation_invalid", "Cette invitation n'est plus valable.", "This invitation is no longer valid."
            )
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise refused("already_member", "Cette adresse a déjà un compte.", "This address already has an account.")
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            role=Role.PRESCRIBER,
        )
        user.set_password(password)
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        return PrescriberMember.objects.create(
            user=user, organisation=invitation.organisation, is_admin=invitation.is_admin
        )


# --- finding an organisation (§2) --------------------------------------------------------------------


def accredited_organisations(
    region: str = "", branch: str = "", department: str = "", postcode: str = ""
) -> QuerySet[Organisation]:
    """Active evaluating organisations holding an active accreditation (of ``branch`` when given)."""
    queryset = Organisation.objects.filter(
        status=OrganisationStatus.ACTIVE, accreditations__revoked_at__isnull=True
    ).exclude(schema_name="public")
    if branch:
        queryset = queryset.filter(accreditations__branch__code=branch, accreditations__revoked_at__isnull=True)
    if region:
        queryset = queryset.filter(region=region)
    queryset = organisations_near(queryset, department=department, postcode=postcode)
    return queryset.distinct().prefetch_related("accreditations__branch").order_by("name", "pk")


@dataclass(frozen=True)
class FoundOrganisation:
    """One search result: the organisation, its branches, its establishments in force there, its next sessions."""

    organisation: Organisation
    branches: list[str]
    establishments: list[Establishment]
    sessions: list[UpcomingSession]


def search_organisations(
    region: str = "", branch: str = "", department: str = "", postcode: str = "", sessions_each: int = SESSIONS_EACH
) -> list[FoundOrganisation]:
    """The search (§2): accredited organisations, each with its establishments in force (those in the department
    or at the postcode when one is given) and its next collective sessions.

    Queries: the organisations (and their accreditations), their establishments (one query), and one per
    organisation for its sessions (read in its schema).
    """
    organisations = list(
        accredited_organisations(region=region, branch=branch, department=department, postcode=postcode)
    )
    places: dict[int, list[Establishment]] = {o.pk: [] for o in organisations}
    for establishment in establishments_in_force(
        department=department, postcode=postcode, organisation_ids=places.keys()
    ):
        places[establishment.organisation_id].append(establishment)
    return [
        FoundOrganisation(
            organisation=o,
            branches=branches_of(o),
            establishments=places[o.pk],
            sessions=next_sessions(o.schema_name, limit=sessions_each),
        )
        for o in organisations
    ]


def branches_of(organisation: Organisation) -> list[str]:
    return sorted(a.branch.code for a in organisation.accreditations.all() if a.revoked_at is None)


def _accredited(organisation_id: int) -> Organisation:
    organisation = accredited_organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise refused(
            "organisation_not_accredited",
            "Cet organisme n'est pas habilité pour CléA.",
            "This organisation is not accredited for CléA.",
        )
    return organisation


# --- referring (§3) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ReferralConsent:
    """The person's consent, as they gave it: to be referred, and (or not) to share results."""

    given_on: date
    wording: str = DEFAULT_CONSENT_WORDING
    share_results: bool = True


def _check_consent(consent: ReferralConsent) -> None:
    if not consent.wording.strip():
        raise refused(
            "consent_missing",
            "Le texte du consentement de la personne est obligatoire.",
            "The wording of the person's consent is required.",
        )
    if consent.given_on > timezone.localdate():
        raise refused(
            "consent_in_future",
            "La date du consentement ne peut pas être dans le futur.",
            "The consent date cannot be in the future.",
        )


def _create_referral(
    prescriber: PrescriberOrganisation,
    created_by: Any,
    organisation: Organisation,
    person: Person,
    consent: ReferralConsent,
    message: str,
    cohort: Cohort | None = None,
) -> Referral:
    _check_consent(consent)
    referral = Referral.objects.create(
        prescriber=prescriber,
        created_by=created_by,
        organisation=organisation,
        cohort=cohort,
        first_name=person.first_name.strip(),
        last_name=person.last_name.strip(),
        email=person.email,
        phone=person.phone,
        message=message,
        consent_wording=consent.wording,
        consent_given_on=consent.given_on,
        share_results=consent.share_results,
        stage_on=timezone.localdate(),
        stage_dates={Stage.SENT.value: timezone.localdate().isoformat()},
    )
    # The organisation's schema receives its copy from a task run there: the prescriber never writes in it.
    enqueue(DELIVER_TASK, [referral.pk], schema_name=organisation.schema_name)
    return referral


def refer(
    member: PrescriberMember, organisation_id: int, person: Person, consent: ReferralConsent, message: str = ""
) -> Referral:
    """R1: refer one person to an accredited organisation of the prescriber's choice."""
    with transaction.atomic():
        organisation = _accredited(organisation_id)
        return _create_referral(member.organisation, member.user, organisation, person, consent, message)


def refer_many(
    member: PrescriberMember, organisation_id: int, people: list[tuple[Person, ReferralConsent]], message: str = ""
) -> list[Referral]:
    """A group, all or nothing (the bulk import validated every row before)."""
    with transaction.atomic():
        organisation = _accredited(organisation_id)
        return [
            _create_referral(member.organisation, member.user, organisation, person, consent, message)
            for person, consent in people
        ]


def open_cohort(member: PrescriberMember, organisation_id: int, name: str, message: str = "") -> Cohort:
    """ "CléA en entreprise": a cohort for one organisation, with a code people register with."""
    with transaction.atomic():
        organisation = _accredited(organisation_id)
        return Cohort.objects.create(
            prescriber=member.organisation,
            organisation=organisation,
            name=name,
            message=message,
            created_by=member.user,
        )


def open_cohort_by_code(code: str) -> Cohort | None:
    return (
        Cohort.objects.select_related("prescriber", "organisation")
        .filter(code=code.strip().upper(), is_open=True, prescriber__status=PrescriberStatus.APPROVED)
        .first()
    )


def register_in_cohort(code: str, person: Person, consent: ReferralConsent) -> Referral:
    """A person registers themself with a cohort's code: a referral of the cohort's prescriber."""
    with transaction.atomic():
        cohort = open_cohort_by_code(code)
        if cohort is None:
            raise refused(
                "cohort_closed", "Ce code ne correspond à aucune cohorte ouverte.", "This code matches no open cohort."
            )
        return _create_referral(
            cohort.prescriber, cohort.created_by, cohort.organisation, person, consent, cohort.message, cohort=cohort
        )


def close_cohort(member: PrescriberMember, cohort_id: int) -> Cohort:
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort_id, prescriber=member.organisation)
        cohort.is_open = False
        cohort.save(update_fields=["is_open"])
    return cohort


# --- consent withdrawal, figures (§5) ----------------------------------------------------------------


def withdraw_consent(referral_id: int, prescriber: PrescriberOrganisation | None = None) -> Referral:
    """The person withdrew their consent to share: the prescriber stops seeing them at once, and what was
    shared (stage dates, certificate number) is erased. The organisation's copy stops sending anything."""
    with transaction.atomic():
        queryset = Referral.objects.select_for_update()
        if prescriber is not None:
            queryset = queryset.filter(prescriber=prescriber)
        referral = queryset.get(pk=referral_id)
        if referral.consent_withdrawn_at is None:
            referral.consent_withdrawn_at = timezone.now()
            referral.share_results = False
            referral.stage_dates = {}
            referral.certificate_number = ""
            referral.save(update_fields=["consent_withdrawn_at", "share_results", "stage_dates", "certificate_number"])
            referral.notifications.all().delete()
    return referral


def prescriber_figures(referrals: QuerySet[Referral]) -> PrescriberFigures:
    return figures(
        FollowedReferral(r.created_at.date(), Stage(r.stage), r.stage_on or r.created_at.date()) for r in referrals
    )
