"""The counsellor's page for the civil identity a certificate needs (R15): ``/dossiers/<file>/etat-civil/``
(the identity of the file's candidate).
A postcode and a commune name are resolved to the INSEE code; when several communes match, the page asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clea.accounts.roles import STAFF
from clea.identity import services
from clea.identity.models import Civility
from clea.journey.models import Candidate
from clea.web.access import current_user, load_visible, role_required


class IdentityForm(forms.Form):
    civility = forms.ChoiceField(label="Civilité", choices=Civility.choices)
    birth_name = forms.CharField(label="Nom de naissance", max_length=100)
    usage_name = forms.CharField(label="Nom d'usage", max_length=100, required=False)
    first_names = forms.CharField(
        label="Prénoms",
        max_length=200,
        help_text="Tous les prénoms de l'état civil, dans l'ordre, séparés par des virgules.",
    )
    birth_date = forms.DateField(label="Date de naissance", widget=forms.DateInput(attrs={"type": "date"}))
    birth_country = forms.CharField(
        label="Pays de naissance", max_length=2, initial="FR", help_text="Code ISO à 2 lettres : FR, MA, PT…"
    )
    birth_postcode = forms.CharField(label="Code postal de naissance", max_length=5, required=False)
    birth_commune_name = forms.CharField(label="Commune de naissance", max_length=120, required=False)
    birth_insee_code = forms.CharField(
        label="Code INSEE de la commune", max_length=5, required=False, help_text="Ou le code postal et le nom."
    )
    birth_town_abroad = forms.CharField(label="Ville de naissance (à l'étranger)", max_length=120, required=False)


def _initial(candidate: Candidate) -> dict[str, Any]:
    data = services.as_dict(services.identity_of(candidate))
    if data is None:
        return {
            "birth_name": candidate.last_name,
            "first_names": candidate.first_name,
            "birth_date": candidate.birth_date,
        }
    return {**data, "first_names": ", ".join(data["first_names"])}


@role_required(*STAFF)
def identity_edit(request: HttpRequest, file_id: int) -> HttpResponse:
    loaded = load_visible(current_user(request), file_id, "web.identity")  # 404 when not visible here
    candidate = loaded.record.candidate
    choices: list[dict[str, Any]] = []
    if request.method == "POST":
        form = IdentityForm(request.POST)
        if form.is_valid():
            try:
                services.save_identity(int(candidate.pk), dict(form.cleaned_data), actor=current_user(request))
            except services.FieldErrors as exc:
                for field, messages in exc.errors.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
                choices = exc.choices or []
            else:
                return redirect("web:file", file_id=file_id)
    else:
        form = IdentityForm(initial=_initial(candidate))
    context = {
        "record": loaded.record,
        "candidate": candidate,
        "form": form,
        "choices": choices,
        "saved": services.identity_of(candidate),
    }
    return render(request, "identity/edit.html", context, status=400 if form.errors else 200)
