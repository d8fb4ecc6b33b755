"""An organisation's own statement of acts, on its host under ``organisme/actes/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.publishing.web import views

app_name = "publishing-own"

urlpatterns: list[URLPattern] = [
    path("", views.own_statement, name="statement"),
    path("releve.csv", views.own_statement, {"fmt": "csv"}, name="statement-csv"),
    path("releve.pdf", views.own_statement, {"fmt": "pdf"}, name="statement-pdf"),
]
