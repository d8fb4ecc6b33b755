"""The federation's dashboard pages, mounted under ``federation/`` on the public host."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("tableau-de-bord/", views.federation, name="federation"),
    path("tableau-de-bord/indicateurs.csv", views.federation_csv, name="federation-csv"),
]
