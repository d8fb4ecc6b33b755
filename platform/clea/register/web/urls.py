"""The register's pages, under ``/federation/registre/`` (public host)."""

from __future__ import annotations

from django.urls import path

from clea.register.web import views

app_name = "register"

urlpatterns = [
    path("etablissements/", views.establishments, name="establishments"),
    path("etablissements/<int:pk>/", views.establishment, name="establishment"),
    path("organismes-de-formation/", views.bodies, name="bodies"),
    path("jurys/", views.jury_list, name="juries"),
    path("jurys/membres/<int:pk>/", views.jury_member, name="jury-member"),
    path("a-traiter/", views.worklist, name="worklist"),
    path("securite/", views.second_factor, name="second-factor"),
    path("dossiers/<int:pk>/", views.jury_file, name="jury-file"),
    path("revocations/", views.revocations, name="revocations"),
]
