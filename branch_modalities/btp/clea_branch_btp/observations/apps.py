from __future__ import annotations

from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "clea_branch_btp.observations"
    label = "clea_branch_btp_observations"
    verbose_name = "BTP — observations en situation de travail"
    default_auto_field = "django.db.models.BigAutoField"
