"""Web forms: they check the shape of what was typed; the rules stay in the kernel (DomainError)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clea.accounts.models import User
from clea.journey.planning import start_error
from clea.kernel.errors import DomainError
from clea.kernel.journey import PrescriberType
from clea.kernel.plausibility import birth_date_problem
from clea.web.access import error_message

PRESCRIBER_LABELS: dict[str, Any] = {
    PrescriberType.EMPLOYER: _("Employeur"),
    PrescriberType.OPCO: _("OPCO"),
    PrescriberType.REGION: _("Région"),
    PrescriberType.FRANCE_TRAVAIL: _("France Travail"),
    PrescriberType.CEP: _("Conseil en évolution professionnelle (CEP)"),
    PrescriberType.MISSION_LOCALE: _("Mission locale"),
    PrescriberType.CAP_EMPLOI: _("Cap emploi"),
    PrescriberType.SIAE: _("Structure d'insertion par l'activité économique (SIAE)"),
    PrescriberType.SPIP: _("Service pénitentiaire d'insertion et de probation (SPIP)"),
    PrescriberType.BRANCH: _("Branche professionnelle"),
    PrescriberType.OTHER: _("Autre prescripteur"),
}

# Which field a refusal belongs next to; anything else is shown at the top of the form (role="alert").
ERROR_FIELDS: dict[str, str] = {
    "consent_required": "consent",
    "trainer_is_evaluator": "trainer",
    "unknown_organisation": "target",
    "invalid_bundle": "bundle",
    "transfer_already_imported_conflict": "bundle",
    "evidence_empty": "content",
    "evidence_too_large": "content",
    "evidence_type_refused": "content",
    "evaluation_in_future": "days",
    "branch_not_accredited": "branch",
    "plan_unavailable": "branch",
}


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put the kernel's refusal next to its field when the form has it, else at the top of the form."""
    field = ERROR_FIELDS.get(exc.code)
    if exc.code.startswith("calendar_"):
        field = "sessions"
    form.add_error(field if field in form.fields else None, error_message(exc))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConsentFields(forms.Form):
    consent = forms.BooleanField(
        label=_("La personne donne son consentement explicite"),
        required=False,
        help_text=_("Obligatoire pour ouvrir le dossier (règle R2)."),
    )
    consent_purpose = forms.CharField(
        label=_("Objet du consentement"), max_length=300, initial=_("Certification CléA : évaluation, parcours, jury")
    )


class IntakeForm(ConsentFields):
    first_name = forms.CharField(label=_("Prénom"), max_length=100, widget=forms.TextInput({"autocomplete": "off"}))
    last_name = forms.CharField(label=_("Nom"), max_length=100, widget=forms.TextInput({"autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput())
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(
        label=_("Téléphone"), max_length=30, required=False, widget=forms.TextInput({"type": "tel"})
    )
    prescriber_type = forms.ChoiceField(
        label=_("Prescripteur"),
        required=False,
        choices=[("", _("Aucun (démarche personnelle)")), *PRESCRIBER_LABELS.items()],
    )
    prescriber_name = forms.CharField(label=_("Nom du prescripteur"), max_length=200, required=False)
    referred_on = forms.DateField(label=_("Date de l'orientation"), required=False, widget=DateInput())

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data.get("birth_date")
        problem = birth_date_problem(value, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value

    FIELD_ORDER = (
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "prescriber_type",
        "prescriber_name",
        "referred_on",
        "consent",
        "consent_purpose",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.FIELD_ORDER)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("prescriber_type"):
            if not data.get("prescriber_name"):
                self.add_error("prescriber_name", _("Indiquez le nom du prescripteur."))
            if not data.get("referred_on"):
                self.add_error("referred_on", _("Indiquez la date de l'orientation."))
        return data


class ConsentForm(VersionedForm, ConsentFields):
    pass


class EvidenceForm(forms.Form):
    content = forms.FileField(label=_("Fichier (PDF, image ou texte, 10 Mo au plus)"))
    title = forms.CharField(label=_("Titre de la preuve"), max_length=200, required=False)
    criterion = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)


if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:  # django-stubs make the field generic; Django itself does not
    _UserChoiceField = forms.ModelChoiceField


class TrainerChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class PathForm(VersionedForm):
    trainer = TrainerChoiceField(
        label=_("Formateur"),
        queryset=User.objects.none(),
        empty_label=None,
        help_text=_("Seules les personnes qui n'ont jamais évalué ce candidat sont proposées (règle R7)."),
    )
    training_organisation = forms.CharField(
        label=_("Organisme de formation"),
        max_length=200,
        help_text=_("Choisissez-le dans le registre de la fédération en tapant son nom."),
        widget=forms.TextInput(  # search as you type (clea.register.web.tenant), then the register's spelling
            attrs={
                "list": "training-bodies",
                "autocomplete": "off",
                "hx-get": reverse_lazy("register-tenant:body-options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#training-bodies",
            }
        ),
    )

    def __init__(self, *args: Any, trainers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = trainers if trainers is not None else User.objects.none()


class NoteForm(forms.Form):
    subdomain = forms.ChoiceField(label=_("Sous-domaine"), required=False)
    text = forms.CharField(label=_("Note de progression"), max_length=2000, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, subdomains: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subdomain"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Tout le parcours")), *(subdomains or [])]


class SubmitForm(VersionedForm):
    pass


class TransferForm(VersionedForm):
    target = forms.SlugField(
        label=_("Identifiant de l'organisme destinataire"),
        max_length=63,
        help_text=_("L'identifiant figurant dans son adresse, par exemple « greta-lyon »."),
    )
    consent = forms.BooleanField(label=_("La personne consent au transfert de son dossier"), required=False)
    consent_purpose = forms.CharField(
        label=_("Objet du consentement"), max_length=300, initial=_("Transfert du dossier vers un autre organisme")
    )


class ImportForm(forms.Form):
    bundle = forms.CharField(
        label=_("Paquet de transfert"),
        widget=forms.Textarea({"rows": 6, "spellcheck": "false"}),
        help_text=_("Collez le paquet remis par l'organisme d'origine."),
    )
    consent = forms.BooleanField(label=_("La personne consent à la reprise de son dossier"), required=False)
    consent_purpose = forms.CharField(
        label=_("Objet du consentement"), max_length=300, initial=_("Reprise du dossier transféré")
    )


class EvaluationPlanForm(forms.Form):
    """What the branch needs to plan the évaluation préalable (sent by GET: nothing is stored)."""

    branch = forms.ChoiceField(label=_("Branche"))
    start = forms.DateField(label=_("Premier jour possible"), widget=DateInput())
    max_minutes_per_day = forms.IntegerField(
        label=_("Durée maximale d'évaluation par jour (minutes)"),
        min_value=30,
        max_value=600,
        required=False,
        help_text=_("Fatigue, temps partiel, aménagements : la branche répartit l'évaluation sur plusieurs jours."),
    )
    on_site_possible = forms.BooleanField(
        label=_("La personne peut se rendre sur un lieu de travail (chantier, site client…)"), required=False
    )
    adjustments = forms.CharField(
        label=_("Aménagements à respecter (facultatif)"),
        max_length=1000,
        required=False,
        help_text=_("Séparés par des virgules, par exemple « tiers temps, pas de port de charges »."),
    )

    def __init__(self, *args: Any, branches: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ChoiceField)
        choices = list(branches or [])
        field.choices = choices if len(choices) == 1 else [("", _("— Choisir la branche —")), *choices]

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if problem := start_error(start, timezone.localdate()):
            raise forms.ValidationError(problem)
        return start
