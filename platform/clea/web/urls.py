"""Pages of an evaluating organisation, mounted at the root of the tenant URLconf (French paths)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy

from clea.accounts.password_reset import ThrottledPasswordResetForm
from clea.dashboards import views as dashboard_views
from clea.web.views import accommodations, auth, dropout, evidence_pages, files, grid, home, planning, portal, training

app_name = "web"

auth_patterns: list[URLPattern | URLResolver] = [
    path("connexion/", auth.CleaLoginView.as_view(), name="login"),  # rate-limited (axes); 2FA for some roles
    path("connexion/double-authentification/", auth.second_factor, name="second_factor"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,  # per address and per client, same answer either way
            template_name="web/auth/password_reset_form.html",
            email_template_name="web/auth/password_reset_email.txt",
            subject_template_name="web/auth/password_reset_subject.txt",
            success_url=reverse_lazy("web:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/auth/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/auth/password_reset_confirm.html",
            success_url=reverse_lazy("web:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/auth/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

urlpatterns: list[URLPattern | URLResolver] = [
    *auth_patterns,
    path("", home.home, name="home"),
    path("dossiers/nouveau/", files.intake, name="intake"),
    path("dossiers/<int:file_id>/", files.file_detail, name="file"),
    path("dossiers/<int:file_id>/ouverture/", files.open_file, name="open"),
    path("dossiers/<int:file_id>/plan-evaluation/", planning.evaluation_plan, name="plan"),
    path("dossiers/<int:file_id>/plan-evaluation/enregistrer/", planning.save_plan, name="plan-save"),  # issue 13
    path("dossiers/<int:file_id>/plan-evaluation/pdf/", planning.plan_pdf, name="plan-pdf"),  # issue 13
    path("dossiers/<int:file_id>/amenagements/", accommodations.accommodations_page, name="accommodations"),
    path("dossiers/<int:file_id>/evaluation/", grid.grid, name="grid"),
    path("dossiers/<int:file_id>/preuves/", grid.evidence_upload, name="evidence-upload"),
    path("dossiers/<int:file_id>/acquis/", files.mastery, name="mastery"),
    path("dossiers/<int:file_id>/parcours/", training.path_builder, name="path"),
    path("dossiers/<int:file_id>/notes/", training.add_note, name="note"),
    path("dossiers/<int:file_id>/jury/", files.submit_to_jury, name="submit"),
    path("dossiers/<int:file_id>/transfert/", files.transfer_out, name="transfer"),
    path("dossiers/<int:file_id>/sortie/", dropout.withdraw, name="withdraw"),  # issue 13 §7
    path("dossiers/<int:file_id>/reprise/", dropout.restart, name="restart"),  # issue 13 §7
    path("transferts/reprise/", files.transfer_import, name="import"),
    path("formateur/", training.trainer_home, name="trainer"),
    path("tableau-de-bord/indicateurs/", dashboard_views.organisation, name="indicators"),
    path("mon-dossier/", portal.portal, name="portal"),
    # issue 13 §4: the growing evidence file (uploads, trainer's pieces, review)
    path("dossiers/<int:file_id>/dossier-de-preuves/", evidence_pages.evidence_file, name="evidence-file"),
    path(
        "dossiers/<int:file_id>/dossier-de-preuves/<uuid:uid>/examen/",
        evidence_pages.review_piece,
        name="evidence-review",
    ),
    path("mon-dossier/<int:file_id>/preuves/", evidence_pages.portal_upload, name="portal-evidence"),
    path("preuves/<uuid:uid>/", grid.evidence_download, name="evidence"),
    path("langue/", include("django.conf.urls.i18n")),
]
