from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleaTenantsConfig(AppConfig):
    name = "clea_tenants"
    label = "clea_tenants"
    verbose_name = _("Organismes évaluateurs")
