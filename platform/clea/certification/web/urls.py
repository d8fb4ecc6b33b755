"""Pages of the federation (public host), mounted at the root of the public URLconf (French paths)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy

from clea.certification.web import views
from clea.web.views.auth import CleaLoginView, second_factor

app_name = "federation"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "connexion/",
        CleaLoginView.as_view(  # rate-limited (axes); TOTP for federation_admin and jury_member (clea.web.views.auth)
            template_name="certification/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("federation:home"),
            second_factor_url="federation:second-factor",
        ),
        name="login",
    ),
    path(
        "connexion/double-authentification/",
        second_factor,
        {"base_template": "certification/base.html", "login_url": "federation:login"},
        name="second-factor",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page=reverse_lazy("federation:login")), name="logout"),
    path("", views.home, name="home"),
    path("verifier/", views.verify_lookup, name="verify-lookup"),
    path("verifier/<str:number>/", views.verify, name="verify"),
    path("verifier/<str:number>/certificat.pdf", views.verify_pdf, name="verify-pdf"),
    path("jury/", views.jury_sessions, name="jury-sessions"),
    path("jury/sessions/<int:session_id>/", views.jury_session, name="jury-session"),
    path("jury/sessions/<int:session_id>/approbation/", views.approve_minutes, name="jury-approve"),
    path("jury/sessions/<int:session_id>/proces-verbal.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("federation/sessions/", views.staff_sessions, name="staff-sessions"),
    path("federation/sessions/<int:session_id>/", views.staff_session, name="staff-session"),
    path("federation/dossiers/", views.staff_submissions, name="staff-submissions"),
    path("federation/certificats/", views.staff_certificates, name="staff-certificates"),
    path("federation/certificats/<str:number>/", views.staff_certificate, name="staff-certificate"),
    path("langue/", include("django.conf.urls.i18n")),
]
