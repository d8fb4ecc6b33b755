"""Forms of the publishing pages (French labels; the services check the rules)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from clea.publishing.models import ACT_KIND_CHOICES
from clea.publishing.periods import month_period

MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier du référentiel (YAML ou CSV)",
        help_text="YAML au format livré, ou CSV d'une ligne par critère (domaine, titre_domaine, sous_domaine, "
        "titre_sous_domaine, seuil, critere, titre_critere, obligatoire).",
    )
    code = forms.CharField(
        label="Code du référentiel (CSV seulement)", required=False, max_length=40, help_text="Par défaut : CLEA."
    )
    titre = forms.CharField(label="Titre (CSV seulement)", required=False, max_length=255)


class ConfirmForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_format = forms.ChoiceField(choices=[("yaml", "YAML"), ("csv", "CSV")], widget=forms.HiddenInput)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    expected_current = forms.CharField(widget=forms.HiddenInput, required=False)
    effective_from = forms.DateField(
        label="En vigueur pour les nouveaux dossiers à partir du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Les dossiers déjà ouverts restent sur leur version (R13).",
    )


class PeriodForm(forms.Form):
    du = forms.RegexField(
        label="Du mois de", regex=MONTH_PATTERN, required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    au = forms.RegexField(
        label="Au mois de", regex=MONTH_PATTERN, required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["start"], data["end"] = month_period(data.get("du") or None, data.get("au") or None)
        except ValueError as error:
            self.add_error("au", str(error))
        return data

    def period(self) -> tuple[date, date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return month_period(None, None)

    def query(self) -> str:
        start, end = self.period()
        return f"du={start:%Y-%m}&au={end:%Y-%m}"


class TariffForm(forms.Form):
    kind = forms.ChoiceField(label="Acte", choices=ACT_KIND_CHOICES)
    unit_price = forms.DecimalField(label="Prix unitaire HT (€)", min_value=0, max_digits=10, decimal_places=2)
    vat_rate = forms.DecimalField(
        label="Taux de TVA (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2, initial=20
    )
    valid_from = forms.DateField(
        label="À partir du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
