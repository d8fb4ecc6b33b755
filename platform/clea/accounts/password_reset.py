"""Password reset that cannot be used to flood a mailbox or probe addresses (issue 17, §7).

:class:`ThrottledPasswordResetForm` (the web's ``PasswordResetView`` form) sends at most
``CLEA_PASSWORD_RESET_PER_ADDRESS`` e-mails per address and ``CLEA_PASSWORD_RESET_PER_CLIENT`` per client
address (:func:`clea.accounts.security.client_ip`) within ``CLEA_PASSWORD_RESET_WINDOW_SECONDS``, counted
in the cache per schema. Over a limit nothing is sent, and the answer is the same page as always (the view
redirects to "e-mail sent" whether the address exists, is unknown or is throttled): the page never tells.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.db import connection

from clea.accounts.security import client_ip


def _limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "CLEA_PASSWORD_RESET_PER_ADDRESS", 3)),
        int(getattr(settings, "CLEA_PASSWORD_RESET_PER_CLIENT", 10)),
        int(getattr(settings, "CLEA_PASSWORD_RESET_WINDOW_SECONDS", 3600)),
    )


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]  # no address in the cache keys
    return f"clea:pwreset:{getattr(connection, 'schema_name', 'public')}:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allowed(email: str, client: str) -> bool:
    """Count one request for (address, client); False when either is over its limit."""
    per_address, per_client, window = _limits()
    by_address = _count(_key("address", email), window)
    by_client = _count(_key("client", client), window)
    return by_address <= per_address and by_client <= per_client


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, **kwargs: Any) -> None:  # type: ignore[override]  # PasswordResetView passes keywords only
        request = kwargs.get("request")
        client = client_ip(request) if request is not None else "-"
        if not allowed(self.cleaned_data["email"], client):
            return  # same answer, no e-mail
        super().save(**kwargs)
