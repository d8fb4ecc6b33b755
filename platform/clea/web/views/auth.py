"""Sign-in with a second factor for the roles that need one (federation administrators, jury members).

1. ``connexion/``: username and password (django-axes counts failures and locks out, 429);
2. for a role in ``CLEA_SECOND_FACTOR_ROLES`` the session is *not* opened yet: the user id waits in the
   session for 5 minutes and ``connexion/double-authentification/`` asks for the TOTP code, or, on the first
   sign-in, shows the QR code to enrol an authenticator app and asks for its first code;
3. then the session is opened (new session key) and marked verified (django-otp).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from clea.accounts.security import (
    confirm_enrolment,
    confirmed_device,
    enrolment_device,
    manual_key,
    qr_code_data_uri,
    requires_second_factor,
    verify_second_factor,
)
from clea.audit.trail import append

PENDING_KEY = "clea_second_factor_pending"
PENDING_SECONDS = 300


class CleaLoginView(LoginView):
    """Django's login view (django-axes counts its failures), with the second factor for the roles that need it.

    The federation's pages use it too, with their own template and ``second_factor_url``.
    """

    template_name = "web/auth/login.html"
    redirect_authenticated_user = True
    second_factor_url = "web:second_factor"

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not requires_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),  # already checked against open redirects
            "until": time.time() + PENDING_SECONDS,
        }
        return HttpResponseRedirect(reverse(self.second_factor_url))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres"),
        help_text=gettext_lazy("Téléphone perdu ? Saisissez l'un de vos codes de secours (10 chiffres)."),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or float(pending.get("until", 0)) < time.time():
        return None
    user = get_user_model().objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def second_factor(
    request: HttpRequest, base_template: str = "web/base.html", login_url: str = "web:login"
) -> HttpResponseBase:
    """Ask for the TOTP code, or enrol an authenticator app on the first sign-in."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING_KEY, None)
        return redirect(login_url)
    user, pending = found
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = enrolment_device(user, pending)  # this sign-in's own secret, expiring
        request.session[PENDING_KEY] = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        verified = confirm_enrolment(device, code) if enrolling else verify_second_factor(user, code)
        if verified:
            if enrolling:
                append("otp.enrolled", actor_ref=f"user:{user.pk}", actor_role=user.role, object_ref=f"user:{user.pk}")
            del request.session[PENDING_KEY]
            user.backend = pending["backend"]
            login(request, user, backend=pending["backend"])  # new session key
            otp_login(request, device)
            wanted = str(pending.get("next") or "/")
            safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
            return HttpResponseRedirect(wanted if safe else "/")
        form.add_error("code", _("Code incorrect ou expiré. Saisissez le code affiché maintenant par l'application."))
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "base_template": base_template}
    if enrolling:
        context.update(qr_code=qr_code_data_uri(device), manual_key=manual_key(device))
    return render(request, "web/auth/second_factor.html", context)
