"""Input and output shapes of the publishing API (documented in the federation's OpenAPI)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clea.kernel.fees import ActKind
from clea.publishing.models import ACT_KIND_CHOICES
from clea.publishing.periods import month_period
from clea.publishing.referentials import FORMATS


class CriterionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    title_provisional = serializers.BooleanField()


class RuleSerializer(serializers.Serializer[Any]):
    threshold = serializers.CharField(help_text="Part des critères à acquérir, en fraction exacte (« 3/4 »).")
    threshold_percent = serializers.FloatField()
    mandatory = serializers.ListField(child=serializers.CharField(), help_text="Critères obligatoires.")


class SubDomainSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    title_provisional = serializers.BooleanField()
    rule = RuleSerializer()
    criteria = CriterionSerializer(many=True)


class DomainSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    title_provisional = serializers.BooleanField()
    subdomains = SubDomainSerializer(many=True)


class VersionSummarySerializer(serializers.Serializer[Any]):
    identity = serializers.CharField(help_text="Code et empreinte du contenu (« CLEA@d69c7ba340bfa08c »).")
    code = serializers.CharField()
    title = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField()
    source_format = serializers.ChoiceField(choices=FORMATS)
    status = serializers.ChoiceField(choices=["in_force", "scheduled", "superseded"])


class VersionDetailSerializer(VersionSummarySerializer):
    content_hash = serializers.CharField()
    criteria_count = serializers.IntegerField()
    domains = DomainSerializer(many=True)


class UploadSerializer(serializers.Serializer[Any]):
    """A file (multipart) or its text (JSON ``content``); CSV rows need the line's code (default CLEA)."""

    file = serializers.FileField(required=False)
    content = serializers.CharField(required=False, trim_whitespace=False)
    format = serializers.ChoiceField(choices=FORMATS, required=False)
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("file")) == bool(attrs.get("content")):
            raise serializers.ValidationError(
                {"file": ["Envoyez un fichier ou son contenu, l'un des deux."]}, code="one_of"
            )
        return attrs


class UploadTextSerializer(UploadSerializer):
    """The JSON form of an upload: its text in ``content`` (a file goes as multipart)."""

    file = None  # type: ignore[assignment]


class PublishSerializer(UploadSerializer):
    effective_from = serializers.DateField(help_text="Premier jour où les nouveaux dossiers utilisent cette version.")
    expected_current = serializers.CharField(
        required=False, allow_blank=True, help_text="Identité de la version en vigueur vue dans l'aperçu (409 sinon)."
    )


class PublishTextSerializer(PublishSerializer):
    """The JSON form of a publication: the text in ``content``."""

    file = None  # type: ignore[assignment]


class ChangeSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["added", "removed", "changed"])
    level = serializers.ChoiceField(choices=["referential", "domain", "subdomain", "criterion"])
    code = serializers.CharField()
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    structural = serializers.BooleanField()


class PreviewSerializer(serializers.Serializer[Any]):
    identity = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    criteria_count = serializers.IntegerField()
    current = serializers.CharField(allow_null=True, help_text="La version en vigueur comparée.")
    structural_changes = serializers.IntegerField()
    annotation_changes = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$", "example": "20.00"})
class PriceField(serializers.DecimalField):
    """A price in euros, ``0`` to ``99999999.99``, as a string with up to 2 decimals (the schema says so)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=10, decimal_places=2, min_value=Decimal("0"), **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{1,3}(\.[0-9]{1,2})?$", "example": "20.00"})
class RateField(serializers.DecimalField):
    """A VAT rate in percent, ``0`` to ``999.99``, as a string with up to 2 decimals."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=5, decimal_places=2, min_value=Decimal("0"), **kwargs)


class TariffSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ACT_KIND_CHOICES)
    unit_price = PriceField()
    vat_rate = RateField(required=False, default=Decimal("20"))
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(read_only=True, allow_null=True)
    created_by = serializers.CharField(read_only=True)


class PeriodSerializer(serializers.Serializer[Any]):
    """A period of whole months: ``from=2026-01&to=2026-06`` (default: the current month)."""

    from_month = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", required=False)
    to_month = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        remapped = {"from_month": data.get("from"), "to_month": data.get("to")}
        try:
            internal: dict[str, Any] = super().to_internal_value({k: v for k, v in remapped.items() if v})
        except serializers.ValidationError as error:
            names = {"from_month": "from", "to_month": "to"}
            detail = error.detail if isinstance(error.detail, dict) else {"from": error.detail}
            raise serializers.ValidationError({names.get(k, k): v for k, v in detail.items()}) from None
        return internal

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            start, end = month_period(attrs.get("from_month"), attrs.get("to_month"))
        except ValueError as error:
            # a well-formed period that cannot be (ends before it starts, too long): not a format error
            raise serializers.ValidationError({"to": [str(error)]}, code="implausible") from None
        return {"start": start, "end": end}


class StatementLineSerializer(serializers.Serializer[Any]):
    month = serializers.CharField()
    establishment = serializers.CharField()
    kind = serializers.ChoiceField(choices=[k.value for k in ActKind])
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatementSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    lines = StatementLineSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    total_ht = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_vat = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_ttc = serializers.DecimalField(max_digits=12, decimal_places=2)


class TotalsRowSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    name = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total_ht = serializers.DecimalField(max_digits=12, decimal_places=2)


class TotalsSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    organisations = TotalsRowSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    total_ht = serializers.DecimalField(max_digits=12, decimal_places=2)
