"""Query parameters and responses of the dashboard API (documented in the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clea.dashboards.figures import Filters
from clea.dashboards.rollups import NO_PRESCRIBER
from clea.kernel.journey import PrescriberType
from clea_tenants.regions import Region


class PeriodQuerySerializer(serializers.Serializer[Any]):
    period_start = serializers.DateField(required=False, help_text="Début de la période (inclus), AAAA-MM-JJ.")
    period_end = serializers.DateField(required=False, help_text="Fin de la période (incluse), AAAA-MM-JJ.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": "La fin de la période précède son début."})
        return attrs

    def filters(self, **extra: str) -> Filters:
        data = self.validated_data
        return Filters(period_start=data.get("period_start"), period_end=data.get("period_end"), **extra)


class FederationQuerySerializer(PeriodQuerySerializer):
    region = serializers.ChoiceField(choices=Region.choices, required=False, help_text="Code INSEE de la région.")
    branch = serializers.SlugField(max_length=40, required=False, help_text="Code de la branche.")
    organisation = serializers.SlugField(max_length=40, required=False, help_text="Identifiant de l'organisme.")
    prescriber_type = serializers.ChoiceField(
        choices=[*(p.value for p in PrescriberType), NO_PRESCRIBER],
        required=False,
        help_text="Type de prescripteur ; « none » : dossiers sans prescripteur.",
    )

    def filters(self, **extra: str) -> Filters:
        data = self.validated_data
        names = ("region", "branch", "organisation", "prescriber_type")
        return super().filters(**{name: data.get(name) or "" for name in names}, **extra)


class FunnelRowSerializer(serializers.Serializer[Any]):
    state = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label (DRF allows it)
    count = serializers.IntegerField()


class JuryDecisionsSerializer(serializers.Serializer[Any]):
    certified = serializers.IntegerField()
    refused = serializers.IntegerField()
    adjourned = serializers.IntegerField()


class DurationSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    median_days = serializers.IntegerField(allow_null=True)


class BucketSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label (DRF allows it)
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()


class TrainingSerializer(DurationSerializer):
    distribution = BucketSerializer(many=True)


class MissingSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Code du sous-domaine (référentiel), p. ex. « 3.1 ».")
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Part des évaluations préalables de la période.")


class WithdrawalReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(help_text="Code du motif de sortie (liste fermée), ou « unspecified ».")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label (DRF allows it)
    count = serializers.IntegerField()


class WithdrawalsSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="Sorties du dispositif pendant la période.")
    by_reason = WithdrawalReasonSerializer(many=True)


class AccommodationCountSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="Type d'aménagement (code), p. ex. « extra_time ».")
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(help_text="Dossiers de la cohorte ayant cet aménagement.")


class FiguresSerializer(serializers.Serializer[Any]):
    filters = serializers.DictField(child=serializers.CharField(allow_blank=True))
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["rollups", "facts"], help_text="Agrégats ou faits bruts."
    )
    files = serializers.IntegerField(help_text="Dossiers entrés dans le dispositif pendant la période.")
    funnel = FunnelRowSerializer(many=True, help_text="Étape actuelle de ces dossiers (dernier fait de chacun).")
    initial_evaluations = serializers.IntegerField()
    straight_to_jury = serializers.IntegerField(help_text="Évaluations préalables sans sous-domaine à acquérir (R5).")
    straight_to_jury_rate = serializers.FloatField(allow_null=True)
    jury_decisions = JuryDecisionsSerializer()
    files_decided = serializers.IntegerField(help_text="Dossiers certifiés ou refusés par un jury.")
    certification_rate = serializers.FloatField(allow_null=True, help_text="Certifiés / (certifiés + refusés).")
    juries_held = serializers.IntegerField(help_text="Sessions de jury tenues pendant la période.")
    time_to_certificate = DurationSerializer(help_text="De l'évaluation préalable au certificat, en jours.")
    missing_subdomains = MissingSerializer(many=True)
    training = TrainingSerializer(help_text="Du parcours proposé à l'évaluation finale, en jours.")
    withdrawals = WithdrawalsSerializer(help_text="Sorties du dispositif de la période, par motif.")
    accommodations = AccommodationCountSerializer(many=True, help_text="Aménagements par type (pseudonymisé).")


class OrganisationDashboardSerializer(serializers.Serializer[Any]):
    organisation = FiguresSerializer(help_text="Les chiffres de votre organisme.")
    national = FiguresSerializer(help_text="Les chiffres nationaux (tous organismes, agrégés).")
