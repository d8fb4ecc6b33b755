"""The register seen from an organisation (tenant host): search-as-you-type of training bodies for the path
form, and adding a missing one (with its SIRET). Both read and write the public register table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from clea.accounts.roles import STAFF
from clea.register.web import forms as f
from clea.web.access import role_required
from clea_tenants import training_bodies

SUGGESTIONS = 10


@role_required(*STAFF)
@require_http_methods(["GET"])
def body_options(request: HttpRequest) -> HttpResponse:
    """``<option>`` elements for the path form's datalist (htmx, as the person types)."""
    query = (request.GET.get("training_organisation") or request.GET.get("q") or "").strip()
    found = list(training_bodies.search(query)[:SUGGESTIONS]) if len(query) >= 2 else []
    return render(request, "register/tenant/body_options.html", {"bodies": found})


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        wanted = "/"
    form = f.TrainingBodyForm(request.POST or None, initial={"name": request.GET.get("nom", "")})
    if request.method == "POST" and form.is_valid():
        try:
            body = training_bodies.create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            f.add_errors(form, error)
        else:
            messages.success(request, f"« {body.name} » est ajouté au registre des organismes de formation.")
            return redirect(wanted)
    return render(request, "register/tenant/body_create.html", {"form": form, "next": wanted})
