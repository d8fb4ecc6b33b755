"""The prescribers' API: input validated here (400 with field messages), state changed by the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from clea.kernel.errors import DomainError
from clea.kernel.prescribers import Stage
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import KIND_CHOICES, Cohort, Notification, PrescriberOrganisation, Referral
from clea.prescribers.services import DEFAULT_CONSENT_WORDING
from clea.prescribers.validators import clean_siret, validate_siret
from clea_tenants.regions import Region


class PrescriberOrganisationSerializer(serializers.ModelSerializer[PrescriberOrganisation]):
    class Meta:
        model = PrescriberOrganisation
        fields = ("id", "kind", "name", "siret", "region", "contact_email", "status", "created_at", "approved_at")
        read_only_fields = ("status", "created_at", "approved_at")


class PrescriberOrganisationCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    name = serializers.CharField(max_length=200)
    siret = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    region = serializers.ChoiceField(choices=Region.choices)
    contact_email = serializers.EmailField()
    admin_email = serializers.EmailField(help_text="Adresse du premier administrateur (invité par e-mail).")

    def validate_siret(self, value: str) -> str:
        compact = clean_siret(value)
        try:
            validate_siret(compact)
        except Exception as error:  # django's ValidationError -> DRF's
            raise serializers.ValidationError(
                "SIRET invalide : 14 chiffres avec une clé de contrôle correcte.", code="invalid_siret"
            ) from error
        return compact


class SearchQuerySerializer(serializers.Serializer[Any]):
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    branch = serializers.SlugField(required=False)
    department = serializers.RegexField(r"^(\d{2}|2[AB]|97\d)$", required=False)
    postcode = serializers.RegexField(r"^\d{5}$", required=False)


class EstablishmentPlaceSerializer(serializers.Serializer[Any]):
    """An establishment of the organisation holding a CléA habilitation in force (in the searched area)."""

    name = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_blank=True)
    region = serializers.CharField()
    contact_email = serializers.EmailField(help_text="Le courriel de contact de l'organisme.")


class UpcomingSessionSerializer(serializers.Serializer[Any]):
    """One of the organisation's next collective sessions (no personal data)."""

    on = serializers.DateField()
    starts_at = serializers.CharField(help_text="Heure de début, HH:MM (heure de Paris).")
    ends_at = serializers.CharField(help_text="Heure de fin, HH:MM (heure de Paris).")
    place = serializers.CharField(allow_blank=True)
    remote = serializers.BooleanField(help_text="Session à distance (le lien est donné à l'inscription).")
    modality = serializers.CharField(allow_blank=True)
    seats_left = serializers.IntegerField(min_value=0)


class EvaluatingOrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField()
    region_name = serializers.CharField()
    contact_email = serializers.EmailField()
    branches = serializers.ListField(child=serializers.CharField())
    establishments = EstablishmentPlaceSerializer(many=True)
    next_sessions = UpcomingSessionSerializer(many=True)


class PersonSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class ConsentSerializer(serializers.Serializer[Any]):
    given = serializers.BooleanField(help_text="La personne accepte d'être orientée (obligatoire).")
    given_on = serializers.DateField()
    wording = serializers.CharField(required=False, default=DEFAULT_CONSENT_WORDING)
    share_results = serializers.BooleanField(default=True)

    def validate_given(self, value: bool) -> bool:
        if not value:
            raise DomainError(
                "consent_required",
                "R2",
                "Sans le consentement de la personne, l'orientation est impossible.",
                "Without the person's consent there can be no referral.",
            )
        return value

    def validate_given_on(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError("La date du consentement ne peut pas être dans le futur.")
        return value


class ReferralCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(help_text="L'organisme évaluateur choisi (recherche).")
    person = PersonSerializer()
    consent = ConsentSerializer()
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """What a prescriber reads: the stage and its dates, never the evaluation's content."""

    organisation = serializers.CharField(source="organisation.name")
    organisation_id = serializers.IntegerField()
    stage_label = serializers.CharField()
    cohort = serializers.CharField(source="cohort.code", default="")
    stage_dates = serializers.SerializerMethodField()
    certificate_number = serializers.SerializerMethodField()
    has_attestation = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = (
            "id",
            "uid",
            "organisation",
            "organisation_id",
            "cohort",
            "first_name",
            "last_name",
            "email",
            "phone",
            "message",
            "consent_wording",
            "consent_given_on",
            "share_results",
            "status",
            "decline_reason",
            "stage",
            "stage_label",
            "stage_on",
            "stage_dates",
            "certificate_number",
            "has_attestation",
            "created_at",
        )

    def get_stage_dates(self, referral: Referral) -> dict[str, str]:
        return dict(referral.stage_dates) if referral.is_shared else {}

    def get_certificate_number(self, referral: Referral) -> str:
        return referral.certificate_number if referral.is_shared else ""

    def get_has_attestation(self, referral: Referral) -> bool:
        return bool(referral.attestation_pdf) and referral.is_shared


class BulkReferralSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    file = serializers.FileField(help_text="CSV, XLSX ou ODS, colonnes du modèle.")
    message = serializers.CharField(required=False, allow_blank=True, default="")
    consent_wording = serializers.CharField(required=False, default=DEFAULT_CONSENT_WORDING)


class CohortCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    organisation = serializers.CharField(source="organisation.name")
    registrations = serializers.IntegerField(source="referrals.count")
    link = serializers.SerializerMethodField()

    class Meta:
        model = Cohort
        fields = ("id", "name", "code", "link", "organisation", "is_open", "registrations", "created_at")

    def get_link(self, cohort: Cohort) -> str:
        return f"/prescripteur/cohorte/{cohort.code}/"


class CohortRegistrationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=12)
    person = PersonSerializer()
    consent = ConsentSerializer()


class InvitationCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    is_admin = serializers.BooleanField(default=False)


class PrescriberFiguresSerializer(serializers.Serializer[Any]):
    referred = serializers.IntegerField()
    started = serializers.IntegerField()
    certified = serializers.IntegerField()
    median_days_to_certificate = serializers.FloatField(allow_null=True)
    by_stage = serializers.DictField(child=serializers.IntegerField())


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ("id", "referral", "text", "link", "created_at")


class BulkReportSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    imported = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField(), help_text="Le rapport, ligne par ligne.")


# --- the organisation's inbox (tenant API) ---------------------------------------------------------


class IncomingReferralSerializer(serializers.ModelSerializer[IncomingReferral]):
    file_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = IncomingReferral
        fields = (
            "id",
            "prescriber_name",
            "prescriber_kind",
            "referred_by",
            "cohort_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "message",
            "consent_wording",
            "consent_given_on",
            "share_results",
            "referred_on",
            "status",
            "decline_reason",
            "answered_at",
            "file_id",
            "received_at",
        )


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


STAGES = [stage.value for stage in Stage]
