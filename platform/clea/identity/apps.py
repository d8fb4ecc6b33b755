from __future__ import annotations

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """R15: the candidate's civil identity for certificates (tenant app; docs/CERTIFICATES.md, "Identity")."""

    name = "clea.identity"
    label = "identity"
    verbose_name = "État civil des candidats"
