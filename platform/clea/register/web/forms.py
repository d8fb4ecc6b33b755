"""Forms of the register's back office (French labels; the services check the rules)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from clea.accounts.roles import FEDERATION_ROLES
from clea.certification.models import College, JuryMember
from clea.kernel import accreditation as kernel
from clea_tenants.models import Branch, HabilitationStatus, Organisation, Programme, TrainingBody
from clea_tenants.regions import Region

DATE = forms.DateInput(attrs={"type": "date"})


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's field errors next to their fields (others at the top of the form)."""
    for field, messages in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class EstablishmentForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.order_by("name"), label="Organisme évaluateur")
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres.")
    name = forms.CharField(label="Nom de l'établissement", max_length=200)
    address = forms.CharField(label="Adresse", max_length=300)
    postcode = forms.CharField(label="Code postal", max_length=5)
    city = forms.CharField(label="Commune", max_length=100)


class HabilitationForm(forms.Form):
    programme = forms.ChoiceField(label="Certification", choices=Programme.choices)
    branch = forms.ModelChoiceField(
        Branch.objects.order_by("code"), label="Branche (facultatif)", required=False, to_field_name="code"
    )
    valid_from = forms.DateField(label="Valide du", widget=DATE)
    valid_to = forms.DateField(label="Valide jusqu'au", widget=DATE)
    qualiopi_number = forms.CharField(label="N° de certificat Qualiopi", max_length=60)
    qualiopi_body = forms.CharField(label="Organisme certificateur Qualiopi", max_length=200)
    qualiopi_expires_on = forms.DateField(label="Expiration du certificat Qualiopi", widget=DATE)
    reason = forms.CharField(label="Motif ou observation", required=False, widget=forms.Textarea(attrs={"rows": 2}))


DECISIONS = [
    (kernel.Status.SUSPENDED.value, "Suspendre"),
    (kernel.Status.GRANTED.value, "Accorder / lever la suspension"),
    (kernel.Status.WITHDRAWN.value, "Retirer"),
    (kernel.Status.EXPIRED.value, "Constater l'échéance"),
]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label="Décision", choices=DECISIONS)
    effective_on = forms.DateField(label="À compter du", widget=DATE, required=False)
    reason = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RenewForm(forms.Form):
    valid_to = forms.DateField(label="Nouvelle fin de validité", widget=DATE)
    qualiopi_number = forms.CharField(label="N° de certificat Qualiopi", max_length=60)
    qualiopi_body = forms.CharField(label="Organisme certificateur Qualiopi", max_length=200)
    qualiopi_expires_on = forms.DateField(label="Expiration du certificat Qualiopi", widget=DATE)


class EstablishmentFilter(forms.Form):
    q = forms.CharField(label="Recherche (nom, SIRET, commune, organisme)", required=False)
    region = forms.ChoiceField(label="Région", choices=[("", "Toutes"), *Region.choices], required=False)
    status = forms.ChoiceField(
        label="Statut d'habilitation", choices=[("", "Tous"), *HabilitationStatus.choices], required=False
    )


class TrainingBodyForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=200)
    siret = forms.CharField(label="SIRET", max_length=20)
    region = forms.ChoiceField(label="Région", choices=Region.choices)


class JuryMemberForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Courriel", required=False)
    college = forms.ChoiceField(label="Collège", choices=College.choices)
    organisation_of_origin = forms.CharField(label="Structure représentée", max_length=200, required=False)
    organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.order_by("name"), label="Organismes évaluateurs liés", required=False
    )
    bodies = forms.ModelMultipleChoiceField(
        TrainingBody.objects.order_by("name"), label="Organismes de formation liés", required=False
    )


class JuryForm(forms.Form):
    name = forms.CharField(label="Nom du jury", max_length=200)
    region = forms.ChoiceField(label="Région", choices=[("", "Nationale"), *Region.choices], required=False)
    branch = forms.ModelChoiceField(Branch.objects.order_by("code"), label="Branche", required=False)
    members = forms.ModelMultipleChoiceField(
        JuryMember.objects.filter(active=True), label="Membres (autant d'employeurs que de salariés)"
    )


class ResetForm(forms.Form):
    user = forms.ModelChoiceField(
        get_user_model().objects.filter(role__in=FEDERATION_ROLES).order_by("username"),
        label="Compte de la fédération",
    )
    reason = forms.CharField(
        label="Motif (identité vérifiée comment ?)", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class MemberLinksForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.order_by("name"), label="Organismes évaluateurs liés", required=False
    )
    bodies = forms.ModelMultipleChoiceField(
        TrainingBody.objects.order_by("name"), label="Organismes de formation liés", required=False
    )
    active = forms.BooleanField(label="Siège encore dans les jurys", required=False)
