"""Filter forms of the dashboard pages (months: the rollups count by month)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clea.dashboards.figures import Filters
from clea.dashboards.rollups import NO_PRESCRIBER
from clea.kernel.journey import PrescriberType
from clea_tenants.models import Branch, Organisation
from clea_tenants.regions import Region

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PRESCRIBER_LABELS: dict[str, str] = {
    PrescriberType.EMPLOYER.value: "Employeur",
    PrescriberType.OPCO.value: "OPCO",
    PrescriberType.REGION.value: "Région",
    PrescriberType.FRANCE_TRAVAIL.value: "France Travail",
    PrescriberType.CEP.value: "Conseil en évolution professionnelle",
    PrescriberType.BRANCH.value: "Branche professionnelle",
    PrescriberType.OTHER.value: "Autre",
    NO_PRESCRIBER: "Sans prescripteur",
}


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Indiquez un mois au format AAAA-MM."), code="invalid")
        return int(match.group(1)), int(match.group(2))


def first_day(month: tuple[int, int] | None) -> date | None:
    return date(month[0], month[1], 1) if month else None


def last_day(month: tuple[int, int] | None) -> date | None:
    return date(month[0], month[1], calendar.monthrange(*month)[1]) if month else None


class PeriodForm(forms.Form):
    period_start = MonthField(label=_("Du mois de"), required=False)
    period_end = MonthField(label=_("au mois de (inclus)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("La fin de la période précède son début."))
        return data

    def filters(self, **extra: str) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            period_start=first_day(data.get("period_start")), period_end=last_day(data.get("period_end")), **extra
        )


class FederationFiltersForm(PeriodForm):
    region = forms.ChoiceField(label=_("Région"), required=False)
    branch = forms.ChoiceField(label=_("Branche"), required=False)
    organisation = forms.ChoiceField(label=_("Organisme"), required=False)
    prescriber_type = forms.ChoiceField(label=_("Type de prescripteur"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Toutes"))]
        self.fields["region"].choices = [*every, *Region.choices]  # type: ignore[attr-defined]
        self.fields["branch"].choices = [  # type: ignore[attr-defined]
            *every,
            *Branch.objects.order_by("code").values_list("code", "name"),
        ]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Tous")),
            *Organisation.objects.exclude(schema_name="public").order_by("name").values_list("slug", "name"),
        ]
        self.fields["prescriber_type"].choices = [("", _("Tous")), *PRESCRIBER_LABELS.items()]  # type: ignore[attr-defined]

    def filters(self, **extra: str) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        names = ("region", "branch", "organisation", "prescriber_type")
        return super().filters(**{name: data.get(name) or "" for name in names}, **extra)
