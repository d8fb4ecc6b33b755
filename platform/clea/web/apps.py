from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Templates and static files only: no models, every state change goes through the journey services."""

    name = "clea.web"
    label = "web"
    verbose_name = _("Interface web")
