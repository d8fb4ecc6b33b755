"""Backup codes for the second factor (django-otp's static devices), and resetting a person's devices.

A federation user prints :data:`COUNT` single-use codes of :data:`LENGTH` digits; any one of them passes the
second factor once (``verify_second_factor`` falls back to them), so a lost phone no longer locks the person
out. Issuing new codes replaces the old ones. :func:`reset_devices` removes every device of a person (the
next sign-in enrols a new authenticator): the federation's administrators do it for someone who lost
both phone and codes (``clea.register.security``, audited there).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

COUNT = 10
LENGTH = 10
DEVICE_NAME = "codes de secours"


def issue(user: Any) -> list[str]:
    """New backup codes for ``user`` (the previous ones stop working); shown once, never again."""
    codes = [f"{secrets.randbelow(10**LENGTH):0{LENGTH}d}" for _ in range(COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def verify(user: Any, token: str) -> Any:
    """The static device ``token`` belongs to (the code is used up), or None."""
    token = (token or "").strip().replace(" ", "")
    if len(token) != LENGTH or not token.isdigit():
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def reset_devices(user: Any) -> int:
    """Remove every second-factor device of ``user`` (authenticator apps and backup codes); how many."""
    with transaction.atomic():
        totp, _ = TOTPDevice.objects.filter(user=user).delete()
        static = int(StaticDevice.objects.filter(user=user).count())
        StaticDevice.objects.filter(user=user).delete()
    return int(totp) + int(static)
