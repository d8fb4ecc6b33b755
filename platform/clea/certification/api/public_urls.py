"""Public API (``/api/public/``), no login: certificate verification, credentials, status list."""

from __future__ import annotations

from django.urls import path

from clea.certification.api.public import (
    CertificateCredentialView,
    CertificatePdfView,
    CertificateVerificationView,
    StatusListView,
)

urlpatterns = [
    path("certificates/<str:number>/", CertificateVerificationView.as_view(), name="public-certificate"),
    path(
        "certificates/<str:number>/credential/",
        CertificateCredentialView.as_view(),
        name="public-certificate-credential",
    ),
    path("certificates/<str:number>/pdf/", CertificatePdfView.as_view(), name="public-certificate-pdf"),
    path("status-list/", StatusListView.as_view(), name="public-status-list"),
]
