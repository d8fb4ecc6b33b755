from __future__ import annotations

from django.apps import AppConfig


class EcosystemConfig(AppConfig):
    """Certificates leaving the platform: the CPF "accrochage" feed and the parchment export (public schema)."""

    name = "clea.ecosystem"
    label = "ecosystem"
    verbose_name = "Écosystème national (CPF, parchemins)"
