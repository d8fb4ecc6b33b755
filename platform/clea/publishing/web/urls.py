"""Publishing pages on the federation's host, mounted under ``federation/`` (French paths)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.publishing.web import views

app_name = "publishing"

urlpatterns: list[URLPattern] = [
    path("referentiels/", views.versions, name="versions"),
    path("referentiels/publier/", views.publish, name="upload"),
    path("referentiels/publier/confirmer/", views.confirm, name="confirm"),
    path("referentiels/<str:identity>/", views.version, name="version"),
    path("referentiels/<str:identity>/export.<str:fmt>", views.export, name="export"),
    path("actes/", views.fees_home, name="fees"),
    path("actes/tarifs/", views.add_tariff, name="add-tariff"),
    path("actes/totaux.csv", views.totals_csv, name="totals-csv"),
    path("actes/<slug:slug>/", views.statement, name="statement"),
    path("actes/<slug:slug>/releve.<str:fmt>", views.statement, name="statement-file"),
]
