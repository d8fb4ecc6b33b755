"""The API layer as a Django app (no models): installs the input rules of :mod:`clea.api.inputs` at start-up."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clea.api"
    label = "clea_api"
    verbose_name = "CléA API"

    def ready(self) -> None:
        from clea.api.inputs import install

        install()
