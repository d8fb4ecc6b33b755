from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from rest_framework import serializers

from clea_tenants.models import Organisation, ProvisioningJob
from clea_tenants.provisioning import OrganisationInput, validate_input
from clea_tenants.regions import Region
from clea_tenants.validators import SLUG_RE, validate_siret, validate_slug


class OrganisationCreateSerializer(serializers.Serializer[OrganisationInput]):
    name = serializers.CharField(max_length=200)
    # the patterns are what the schema documents (RegexValidator -> "pattern"); the validators say the rest
    slug = serializers.CharField(
        max_length=40, validators=[RegexValidator(SLUG_RE, code="invalid_slug"), validate_slug]
    )
    siret = serializers.CharField(
        min_length=14, max_length=14, validators=[RegexValidator(r"^\d{14}$", code="invalid_siret"), validate_siret]
    )
    region = serializers.ChoiceField(choices=Region.choices)
    contact_email = serializers.EmailField(max_length=254)
    admin_email = serializers.EmailField(max_length=254)
    admin_password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})

    def validate_admin_password(self, value: str) -> str:
        try:
            validate_password(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages), code="password_policy") from exc
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = self.to_input(attrs)
        try:
            validate_input(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    @staticmethod
    def to_input(attrs: dict[str, Any]) -> OrganisationInput:
        return OrganisationInput(
            name=attrs["name"],
            slug=attrs["slug"],
            siret=attrs["siret"],
            region=attrs["region"],
            contact_email=attrs["contact_email"],
            admin_email=attrs["admin_email"],
        )


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    domain = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = (
            "slug",
            "name",
            "siret",
            "region",
            "contact_email",
            "status",
            "created_at",
            "last_export_at",
            "accreditation_version",
            "domain",
            "version",
        )
        read_only_fields = fields

    def get_domain(self, organisation: Organisation) -> str | None:
        primary = organisation.get_primary_domain()
        return str(primary.domain) if primary else None


class ProvisioningStatusSerializer(serializers.ModelSerializer[ProvisioningJob]):
    organisation = OrganisationSerializer(read_only=True, allow_null=True)  # null until provisioned

    class Meta:
        model = ProvisioningJob
        fields = ("slug", "status", "error", "created_at", "finished_at", "organisation")
        read_only_fields = fields
