"""The prescriber's pages on the federation host, mounted at ``prescripteur/`` by ``clea.urls_public``."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path, reverse_lazy

from clea.prescribers.web import views
from clea.web.views.auth import CleaLoginView

app_name = "prescribers"

urlpatterns: list[URLPattern] = [
    path(
        "connexion/",
        CleaLoginView.as_view(
            template_name="prescribers/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("prescribers:home"),
            second_factor_url="federation:second-factor",
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page=reverse_lazy("prescribers:login")), name="logout"),
    path("", views.home, name="home"),
    path("organismes/", views.search, name="search"),
    path("orienter/", views.refer, name="refer"),
    path("orientations/<int:pk>/", views.referral, name="referral"),
    path("orientations/<int:pk>/attestation.pdf", views.attestation, name="attestation"),
    path("import/", views.bulk_import, name="bulk"),
    path("import/modele.<str:extension>", views.bulk_template, name="bulk-template"),
    path("cohortes/", views.cohorts, name="cohorts"),
    path("cohorte/<str:code>/", views.cohort_registration, name="cohort-register"),
    path("chiffres/", views.figures, name="figures"),
    path("chiffres/orientations.csv", views.figures_csv, name="figures-csv"),
    path("equipe/", views.team, name="team"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("demande/", views.request_account, name="request"),
    path("federation/", views.federation_prescribers, name="federation"),
]
