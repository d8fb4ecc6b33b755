"""Sign-ins and lockouts go to the trail of the schema they happened in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from clea.audit.trail import append


@receiver(user_logged_in, dispatch_uid="clea.audit.login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    append("auth.login", actor=user, object_ref=f"user:{user.pk}", detail={"via": "web"})


def _locked_out(
    sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    append("auth.lockout", actor_ref="anonymous", actor_role="", detail={"ip_address": ip_address or ""})


try:  # django-axes (login rate limiting) announces lockouts
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="clea.audit.lockout")
except ImportError:  # pragma: no cover - axes is a dependency
    pass
