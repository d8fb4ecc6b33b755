"""Serializers of the register API: outputs from the rows, inputs checked for form (services check the rules)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from clea.api.versioning import VersionInput
from clea.kernel import accreditation as kernel
from clea_tenants.models import (
    Establishment,
    Habilitation,
    HabilitationEvent,
    Programme,
    TrainingBody,
    UnmatchedTrainingName,
)
from clea_tenants.regions import Region

ERROR = inline_serializer(
    "RegisterError",
    {
        "code": serializers.CharField(),
        "rule": serializers.CharField(allow_null=True),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


class HabilitationEventSerializer(serializers.ModelSerializer[HabilitationEvent]):
    class Meta:
        model = HabilitationEvent
        fields = ("status", "effective_on", "reason", "decided_by_label", "valid_from", "valid_to", "at")
        read_only_fields = fields


class HabilitationSerializer(serializers.ModelSerializer[Habilitation]):
    establishment = serializers.IntegerField(source="establishment_id", read_only=True)
    siret = serializers.CharField(source="establishment.siret", read_only=True)
    organisation = serializers.CharField(source="establishment.organisation.slug", read_only=True)
    branch = serializers.SerializerMethodField()
    history = HabilitationEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Habilitation
        fields = (
            "id",
            "establishment",
            "siret",
            "organisation",
            "programme",
            "branch",
            "valid_from",
            "valid_to",
            "qualiopi_number",
            "qualiopi_body",
            "qualiopi_expires_on",
            "status",
            "history",
            "version",
        )
        read_only_fields = fields

    def get_branch(self, habilitation: Habilitation) -> str:
        return habilitation.branch.code if habilitation.branch else ""


class EstablishmentSerializer(serializers.ModelSerializer[Establishment]):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    habilitations = HabilitationSerializer(many=True, read_only=True)

    class Meta:
        model = Establishment
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "siret",
            "name",
            "address",
            "postcode",
            "city",
            "department",
            "region",
            "habilitations",
        )
        read_only_fields = fields


class EstablishmentBriefSerializer(serializers.ModelSerializer[Establishment]):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Establishment
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "siret",
            "name",
            "address",
            "postcode",
            "city",
            "department",
            "region",
        )
        read_only_fields = fields


class EstablishmentInputSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField(max_length=40, help_text="Identifiant (slug) de l'organisme.")
    siret = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300)
    postcode = serializers.CharField(max_length=5)
    city = serializers.CharField(max_length=100)


class HabilitationInputSerializer(serializers.Serializer[Any]):
    programme = serializers.ChoiceField(choices=Programme.choices)
    branch = serializers.SlugField(max_length=40, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    qualiopi_number = serializers.CharField(max_length=60)
    qualiopi_body = serializers.CharField(max_length=200)
    qualiopi_expires_on = serializers.DateField()
    status = serializers.ChoiceField(choices=[("granted", "accordée"), ("applied", "demandée")], default="granted")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


DECISIONS = [(s.value, s.label_fr) for s in kernel.Status if s is not kernel.Status.APPLIED]


class DecisionInputSerializer(VersionInput):
    status = serializers.ChoiceField(choices=DECISIONS)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False)


class RenewInputSerializer(VersionInput):
    valid_to = serializers.DateField()
    qualiopi_number = serializers.CharField(max_length=60)
    qualiopi_body = serializers.CharField(max_length=200)
    qualiopi_expires_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FileInProgressSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    file_ref = serializers.CharField()
    state = serializers.CharField()
    since = serializers.DateTimeField()


class EndedWithFilesSerializer(serializers.Serializer[Any]):
    habilitation = serializers.DictField()
    files = FileInProgressSerializer(many=True)


class TrainingBodySerializer(serializers.ModelSerializer[TrainingBody]):
    organisation = serializers.SerializerMethodField()
    identity = serializers.CharField(read_only=True)

    class Meta:
        model = TrainingBody
        fields = ("id", "identity", "name", "siret", "region", "organisation")
        read_only_fields = fields

    def get_organisation(self, body: TrainingBody) -> str:
        return body.organisation.slug if body.organisation else ""


class TrainingBodyInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    siret = serializers.CharField(max_length=20)
    region = serializers.ChoiceField(choices=Region.choices)


class UnmatchedSerializer(serializers.ModelSerializer[UnmatchedTrainingName]):
    class Meta:
        model = UnmatchedTrainingName
        fields = ("id", "schema_name", "path_id", "name", "found_at")
        read_only_fields = fields
