"""Issue 13 §7: leaving the scheme (a reason from the list, confirmed by the candidate where possible) and
restarting a withdrawn or expired file with fresh consent. The same services as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clea.accounts.roles import STAFF
from clea.journey import services
from clea.kernel.errors import DomainError
from clea.kernel.journey import TRANSITIONS, Consent, FileState, WithdrawalReason
from clea.kernel.journey.withdrawal import MAX_DETAIL
from clea.web.access import current_user, error_message, load_visible, role_required
from clea.web.forms import DateInput, VersionedForm
from clea.web.views.common import after_post

FIELD_OF_ERROR: dict[str, str] = {
    "unknown_withdrawal_reason": "reason",
    "withdrawal_detail_required": "detail",
    "withdrawal_detail_too_long": "detail",
    "withdrawal_confirmed_in_future": "confirmed_on",
    "consent_required": "consent",
}
RESTARTABLE: frozenset[str] = frozenset({FileState.WITHDRAWN.value, FileState.EXPIRED.value})


class WithdrawForm(VersionedForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Motif de la sortie"),
        choices=[(r.value, r.label_fr) for r in WithdrawalReason],
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label=gettext_lazy("Précision"),
        required=False,
        max_length=MAX_DETAIL,
        widget=forms.Textarea({"rows": 3}),
        help_text=gettext_lazy("Obligatoire pour « Autre motif ». Reste dans l'organisme : jamais transmise."),
    )
    confirmed = forms.BooleanField(label=gettext_lazy("Le candidat a confirmé sa sortie"), required=False)
    confirmed_on = forms.DateField(label=gettext_lazy("Date de la confirmation"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("confirmed") and not data.get("confirmed_on"):
            data["confirmed_on"] = timezone.localdate()
        if not data.get("confirmed"):
            data["confirmed_on"] = None
        return data


class RestartForm(VersionedForm):
    consent = forms.BooleanField(
        label=gettext_lazy("La personne donne à nouveau son consentement explicite"),
        required=False,
        help_text=gettext_lazy("Obligatoire pour reprendre le parcours (règle R2)."),
    )
    consent_purpose = forms.CharField(
        label=gettext_lazy("Objet du consentement"),
        max_length=300,
        initial=gettext_lazy("Reprise du parcours CléA"),
    )


def _refuse(form: forms.Form, exc: DomainError) -> None:
    field = FIELD_OF_ERROR.get(exc.code)
    form.add_error(field if field in form.fields else None, error_message(exc))


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, file_id: int) -> HttpResponse:
    """R2: the person leaves the scheme, for a reason from the list."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    form = WithdrawForm(request.POST or None, initial={"version": loaded.record.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_withdraw(
                file_id, data["version"], data["reason"], user, detail=data["detail"], confirmed_on=data["confirmed_on"]
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("La sortie du dispositif est enregistrée."))
            return after_post(request, reverse("web:file", args=[file_id]))
    record = loaded.record
    can = FileState.WITHDRAWN in TRANSITIONS[FileState(record.state)]
    return render(
        request,
        "web/withdraw.html",
        {"record": record, "candidate": record.candidate, "form": form, "can_withdraw": can},
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def restart(request: HttpRequest, file_id: int) -> HttpResponse:
    """R8/R2: a withdrawn or expired file starts again from a new évaluation préalable, with fresh consent."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    form = RestartForm(request.POST or None, initial={"version": loaded.record.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = Consent(data["consent_purpose"], timezone.localdate()) if data.get("consent") else None
        try:
            services.do_restart(file_id, data["version"], consent, user)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Le parcours reprend : une nouvelle évaluation préalable est à conduire."))
            return after_post(request, reverse("web:file", args=[file_id]))
    record = loaded.record
    return render(
        request,
        "web/restart.html",
        {"record": record, "candidate": record.candidate, "form": form, "can_restart": record.state in RESTARTABLE},
    )
