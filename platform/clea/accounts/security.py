"""Sign-in hardening shared by the web pages and the API.

* :func:`client_ip`: the address django-axes counts attempts for (``X-Forwarded-For`` is trusted only
  through ``CLEA_TRUSTED_PROXY_COUNT`` proxies, so a client cannot choose its own address);
* the second factor (TOTP, django-otp), mandatory for the roles in ``CLEA_SECOND_FACTOR_ROLES``
  (``federation_admin``, ``jury_member``): :func:`requires_second_factor`, :func:`verify_second_factor`,
  :func:`enrolment_device`, :func:`qr_code_data_uri`;
* :class:`SecondFactorRequiredMiddleware`: a session of such a user that did not pass the second factor is
  closed (defence in depth: the login views only open verified sessions);
* :class:`RequestSizeLimitMiddleware`: 413 for a body larger than ``CLEA_MAX_REQUEST_BYTES`` (per-path
  overrides in ``CLEA_MAX_REQUEST_BYTES_BY_PATH``), before anything reads it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from clea.accounts import backup_codes
from clea.error_body import error_response


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the entry added by the last trusted proxy."""
    proxies = int(getattr(settings, "CLEA_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


# --- second factor -------------------------------------------------------------------------------


def requires_second_factor(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "role", "") in settings.CLEA_SECOND_FACTOR_ROLES
    )


def confirmed_device(user: Any) -> Any:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def verify_second_factor(user: Any, token: str) -> Any:
    """The confirmed TOTP device ``token`` is valid for, else the backup codes' device if ``token`` is one of
    them (used up), or None (django-otp throttles repeated failures)."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or len(token) > 10:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"):
        if device.verify_token(token):
            return device
    return backup_codes.verify(user, token)  # a single-use backup code (phone lost)


def enrolment_device(user: Any, pending: dict[str, Any] | None = None) -> Any:
    """The unconfirmed TOTP device of **this** sign-in (issue 17, §7).

    ``pending`` is the sign-in waiting for its second factor (kept in its own session): the device's id and
    expiry are stored there, so every sign-in during a pending enrolment gets its own secret, never another
    one's; after ``CLEA_TOTP_ENROLMENT_SECONDS`` (10 min) the secret is dropped and a new one made. Without
    ``pending`` (no session), the newest unconfirmed device, as before."""
    if pending is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        return device or TOTPDevice.objects.create(user=user, name="CléA", confirmed=False)
    found = pending.get("enrolment")
    state: dict[str, Any] = found if isinstance(found, dict) else {}
    mine = TOTPDevice.objects.filter(pk=int(state.get("device") or 0), user=user, confirmed=False)
    if state and float(state.get("until", 0)) >= time.time():
        device = mine.first()
        if device is not None:
            return device
    mine.delete()  # expired (or confirmed meanwhile by another sign-in, then it is gone already)
    device = TOTPDevice.objects.create(user=user, name="CléA", confirmed=False)
    seconds = int(getattr(settings, "CLEA_TOTP_ENROLMENT_SECONDS", 600))
    pending["enrolment"] = {"device": device.pk, "until": time.time() + seconds}
    return device


def confirm_enrolment(device: Any, token: str) -> bool:
    """Confirm ``device`` with its first code, unless another sign-in confirmed one first; every other pending
    secret of the user is then deleted (a second sign-in cannot keep a working one)."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().filter(user=device.user)
        list(devices)  # lock the user's devices: two confirmations are serialised
        if devices.filter(confirmed=True).exists() or not devices.filter(pk=device.pk).exists():
            return False
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        devices.filter(confirmed=False).exclude(pk=device.pk).delete()
    return True


def qr_code_data_uri(device: Any) -> str:
    """The device's ``otpauth://`` URL as an SVG QR code in a ``data:`` URI (allowed by the CSP's img-src)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def manual_key(device: Any) -> str:
    """The shared secret in base32, grouped by four, for people who cannot scan."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SecondFactorRequiredMiddleware:
    """Close a session whose user must use a second factor but did not (e.g. a session opened elsewhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if requires_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            logout(request)
            if request.path.startswith("/api/"):
                return error_response(
                    401,
                    "second_factor_required",
                    "Double authentification requise : reconnectez-vous avec votre code à usage unique.",
                )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """413 (``request_too_large``) when the declared body size exceeds the limit of the path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limits: dict[str, int] = getattr(settings, "CLEA_MAX_REQUEST_BYTES_BY_PATH", {})
        limit = limits.get(request.path, int(getattr(settings, "CLEA_MAX_REQUEST_BYTES", 12 * 1024 * 1024)))
        if length > limit:
            return error_response(
                413, "request_too_large", f"Requête trop volumineuse ({length} octets ; maximum {limit})."
            )
        return self.get_response(request)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out (username, address): the API error format on ``/api/``, else a page
    in the layout of the organisation's or the federation's site (``AXES_LOCKOUT_CALLABLE``)."""
    detail = "Trop de tentatives de connexion : réessayez dans quelques minutes."
    if request.path.startswith("/api/"):
        return error_response(429, "too_many_attempts", detail)
    public = getattr(connection, "schema_name", "public") == get_public_schema_name()
    context = {
        "base_template": "certification/base.html" if public else "web/base.html",
        "login_url": "federation:login" if public else "web:login",
    }
    return render(request, "web/auth/locked_out.html", context, status=429)
