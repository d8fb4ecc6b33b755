"""Forms of the prescriber's pages (French messages); the services re-check every rule."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clea.prescribers.models import KIND_CHOICES
from clea.prescribers.services import DEFAULT_CONSENT_WORDING
from clea.prescribers.validators import clean_siret, validate_siret
from clea_tenants.models import Branch
from clea_tenants.regions import Region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _not_future(value: date) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("La date du consentement ne peut pas être dans le futur."))
    return value


class SearchForm(forms.Form):
    region = forms.ChoiceField(label=_("Région"), required=False, choices=[("", _("Toutes")), *Region.choices])
    branch = forms.ChoiceField(label=_("Branche"), required=False)
    department = forms.RegexField(
        label=_("Département"),
        required=False,
        regex=r"^(\d{2}|2[ABab]|97\d)$",
        max_length=3,
        error_messages={"invalid": _("Un numéro de département : 69, 2A, 974…")},
    )
    postcode = forms.RegexField(
        label=_("Code postal"),
        required=False,
        regex=r"^\d{5}$",
        max_length=5,
        error_messages={"invalid": _("Un code postal a 5 chiffres.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["branch"]).choices = [
            ("", _("Toutes")),
            *Branch.objects.values_list("code", "name"),
        ]


class PersonConsentForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("La personne accepte d'être orientée vers cet organisme pour le certificat CléA."),
        error_messages={"required": _("Sans le consentement de la personne, l'orientation est impossible.")},
    )
    share_results = forms.BooleanField(
        label=_("Elle accepte que l'organisme informe le prescripteur de son étape et de son résultat."),
        required=False,
    )
    consent_given_on = forms.DateField(label=_("Consentement donné le"), widget=DateInput())
    consent_wording = forms.CharField(
        label=_("Texte du consentement lu à la personne"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_CONSENT_WORDING,
    )

    def clean_consent_given_on(self) -> date:
        return _not_future(self.cleaned_data["consent_given_on"])


class ReferralForm(PersonConsentForm):
    organisation = forms.TypedChoiceField(label=_("Organisme évaluateur"), coerce=int)
    message = forms.CharField(
        label=_("Message à l'organisme"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    field_order = ["organisation"]

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", "—"), *organisations]


class CohortRegistrationForm(PersonConsentForm):
    """The person registers themself: they give their own consent, today."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("J'accepte d'être orienté(e) vers cet organisme pour le certificat CléA.")
        self.fields["share_results"].label = _(
            "J'accepte que l'organisme informe le prescripteur de mon étape et de mon résultat."
        )
        del self.fields["consent_given_on"]
        self.fields["consent_wording"].widget = forms.HiddenInput()


class BulkForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisme évaluateur"), coerce=int)
    file = forms.FileField(label=_("Tableur (CSV, XLSX ou ODS)"))
    message = forms.CharField(
        label=_("Message à l'organisme"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_wording = forms.CharField(
        label=_("Texte du consentement donné par chaque personne"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_CONSENT_WORDING,
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", "—"), *organisations]


class CohortForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisme évaluateur"), coerce=int)
    name = forms.CharField(label=_("Nom de la cohorte"), max_length=200)
    message = forms.CharField(
        label=_("Message à l'organisme"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", "—"), *organisations]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Courriel du collègue"))
    is_admin = forms.BooleanField(label=_("Administrateur (peut inviter à son tour)"), required=False)


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password = forms.CharField(
        label=_("Mot de passe (12 caractères au moins)"),
        min_length=12,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PrescriberOrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=KIND_CHOICES)
    name = forms.CharField(label=_("Nom"), max_length=200)
    siret = forms.CharField(label=_("SIRET (s'il en a un)"), required=False, max_length=20)
    region = forms.ChoiceField(label=_("Région"), choices=Region.choices)
    contact_email = forms.EmailField(label=_("Courriel de contact"))
    admin_email = forms.EmailField(label=_("Courriel du premier administrateur"))

    def clean_siret(self) -> str:
        value = clean_siret(self.cleaned_data.get("siret") or "")
        validate_siret(value)
        return value


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (lu par le prescripteur)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
