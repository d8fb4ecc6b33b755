"""The register's pages on an organisation's host, under ``/registre/``."""

from __future__ import annotations

from django.urls import path

from clea.register.web import tenant

app_name = "register-tenant"

urlpatterns = [
    path("organismes-de-formation/suggestions/", tenant.body_options, name="body-options"),
    path("organismes-de-formation/nouveau/", tenant.body_create, name="body-create"),
]
