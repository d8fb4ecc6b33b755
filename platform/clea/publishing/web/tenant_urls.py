"""An organisation's own statement of acts, on its host under ``organisme/actes/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.publishing.web import views

app_name = "publishing-own"

urlpatterns: list[URLPattern] = [
    path("", views.own_statement, name="statement"),
    path("releve.<str:fmt>", views.own_statement, name="statement-file"),
]
