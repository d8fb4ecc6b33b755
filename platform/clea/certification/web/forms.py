"""Forms of the federation's pages: they check the shape of what was typed; R11/R12 stay in the kernel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clea.certification.models import Jury, JuryMember, JurySession, JurySubmission, Outcome
from clea.kernel.errors import DomainError
from clea.kernel.plausibility import session_date_problem
from clea.web.access import error_message


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


if TYPE_CHECKING:
    _SessionFormBase = forms.ModelForm[JurySession]
else:
    _SessionFormBase = forms.ModelForm


class SessionForm(_SessionFormBase):
    jury = forms.ModelChoiceField(queryset=Jury.objects.all(), label=_("Jury"))
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")

    def clean_starts_at(self) -> Any:
        value = self.cleaned_data.get("starts_at")
        problem = session_date_problem(value, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value

    class Meta:
        model = JurySession
        fields = ("jury", "starts_at", "place", "video_link")
        widgets = {"starts_at": DateTimeInput()}
        labels = {
            "starts_at": _("Date et heure"),
            "place": _("Lieu"),
            "video_link": _("Lien de visioconférence"),
        }


class MemberChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        member: JuryMember = obj
        return f"{member.name} — {member.college_label}"


class SubmissionChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        submission: JurySubmission = obj
        state = " (ajourné)" if submission.status == "adjourned" else ""
        return f"{submission.candidate_name} — {submission.organisation.name}{state}"


class ConveneForm(forms.Form):
    def __init__(self, *args: Any, members: QuerySet[JuryMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"] = MemberChoice(
            queryset=members,
            widget=forms.CheckboxSelectMultiple,
            label=_("Membres convoqués"),
            help_text=_("Autant de membres de chaque collège, au moins un par collège (R11)."),
        )


class AssignForm(forms.Form):
    def __init__(self, *args: Any, submissions: QuerySet[JurySubmission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submissions"] = SubmissionChoice(
            queryset=submissions,
            widget=forms.CheckboxSelectMultiple,
            label=_("Dossiers à inscrire"),
            help_text=_("Aucun membre convoqué ne doit être lié à un organisme qui a évalué ou formé ces candidats."),
        )


class DeliberationForm(forms.Form):
    """Members present, then one decision (and its reasons) per file."""

    def __init__(self, *args: Any, convened: QuerySet[JuryMember], files: list[JurySubmission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"] = MemberChoice(
            queryset=convened,
            widget=forms.CheckboxSelectMultiple,
            label=_("Membres présents"),
            help_text=_("Le quorum est atteint avec au moins la moitié des convoqués, paritaires (R11)."),
        )
        self.submissions = files
        for submission in files:
            self.fields[f"outcome_{submission.pk}"] = forms.ChoiceField(
                choices=Outcome.choices,
                widget=forms.RadioSelect,
                label=_("Décision pour %(name)s") % {"name": submission.candidate_name},
                required=False,
            )
            self.fields[f"reasons_{submission.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Motifs (obligatoires en cas de refus)"),
                required=False,
            )

    def rows(self) -> list[tuple[JurySubmission, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"outcome_{s.pk}"], self[f"reasons_{s.pk}"]) for s in self.submissions]


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class VerifyForm(forms.Form):
    numero = forms.CharField(
        label=_("Numéro du certificat"),
        max_length=40,
        help_text=_("Par exemple CLEA-2026-000123-45, tel qu'imprimé sur le certificat."),
    )


# Which field a refusal belongs next to (else at the top of the form).
ERROR_FIELDS: dict[str, str] = {
    "jury_college_missing": "members",
    "jury_not_paritaire": "members",
    "unknown_jury_member": "members",
    "jury_no_quorum": "present",
    "jury_member_not_convened": "present",
    "revocation_reason_required": "reason",
}


def add_domain_error(form: forms.Form, exc: DomainError, default_field: str | None = None) -> None:
    """The kernel's refusal next to its field (R11 conflicts next to ``default_field``), else at the top."""
    field = ERROR_FIELDS.get(exc.code)
    if field not in form.fields:
        field = default_field
    form.add_error(field if field in form.fields else None, error_message(exc))
