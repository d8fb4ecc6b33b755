"""Publishing API on the federation's host: ``api/public/referentials/`` (read, no login) and
``api/federation/referentials/``, ``api/federation/fees/`` (roles)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.publishing.api import views

public_urlpatterns: list[URLPattern] = [
    path("referentials/", views.ReferentialListView.as_view(), name="referential-versions"),
    path("referentials/<str:identity>/", views.ReferentialDetailView.as_view(), name="referential-version"),
    path(
        "referentials/<str:identity>/export.<str:fmt>",
        views.ReferentialExportView.as_view(),
        name="referential-version-export",
    ),
]

federation_urlpatterns: list[URLPattern] = [
    path("referentials/preview/", views.ReferentialPreviewView.as_view(), name="referential-preview"),
    path("referentials/", views.ReferentialPublishView.as_view(), name="referential-publish"),
    path("fees/tariffs/", views.TariffListView.as_view(), name="fee-tariffs"),
    path("fees/totals/", views.FederationTotalsView.as_view(), name="fee-totals"),
    path("fees/statements/<slug:slug>/", views.OrganisationStatementView.as_view(), name="fee-statement"),
    path(
        "fees/statements/<slug:slug>/<str:fmt>/", views.OrganisationStatementView.as_view(), name="fee-statement-file"
    ),
]

# On an organisation's host: its own statement only (the referential versions are read on the federation's host,
# without login, at /api/public/referentials/).
tenant_urlpatterns: list[URLPattern] = [
    path("fees/statement/", views.OwnStatementView.as_view(), name="own-fee-statement"),
    path("fees/statement/csv/", views.OwnStatementCsvView.as_view(), name="own-fee-statement-csv"),
    path("fees/statement/pdf/", views.OwnStatementPdfView.as_view(), name="own-fee-statement-pdf"),
]
