from __future__ import annotations

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "clea.register"
    label = "register"
    verbose_name = "Registre de la fédération"
