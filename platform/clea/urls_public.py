"""URLs of the federation (public schema): bare base domain, no X-Clea-Tenant header."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from clea.api.auth import MeView, TokenView
from clea.api.docs import docs_view, redoc_view
from clea.audit.api import FederationAuditTrailView
from clea.certification.api.public import JWKSView
from clea.dashboards.api import FederationDashboardView
from clea.privacy.api import ProcessingRegisterView

urlpatterns = [
    path("api/auth/token/", TokenView.as_view(), name="auth-token"),
    path("api/me/", MeView.as_view(), name="me"),
    path("api/federation/audit/", FederationAuditTrailView.as_view(), name="federation-audit"),
    path("api/federation/processing-register/", ProcessingRegisterView.as_view(), name="processing-register"),
    path("api/federation/dashboard/", FederationDashboardView.as_view(), name="federation-dashboard"),
    path("api/federation/", include("clea_tenants.api.urls")),
    path("api/federation/tasks/", include("clea.tasks.api.urls")),
    path("api/federation/", include("clea.certification.api.urls")),  # juries, sessions, certificates
    path("api/public/", include("clea.certification.api.public_urls")),  # verification, status list (no login)
    path(".well-known/jwks.json", JWKSView.as_view(), name="jwks"),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="clea.urls_public"), name="schema"),
    path("api/docs/", docs_view(), name="docs"),
    path("api/redoc/", redoc_view(), name="redoc"),
    path("federation/", include("clea.dashboards.urls_public")),  # national dashboard (web, CSV)
    path("", include("clea.certification.web.urls")),  # French pages: juries, federation staff, /verifier/
]

handler404 = "clea.api.errors.not_found"  # JSON error format under /api/, the HTML page elsewhere
