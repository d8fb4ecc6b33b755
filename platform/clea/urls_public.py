"""URLs of the federation (public schema): bare base domain, no X-Clea-Tenant header."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from clea.api.auth import MeView, TokenView
from clea.api.docs import docs_view, redoc_view
from clea.audit.api import FederationAuditTrailView
from clea.certification.api.issuer import DIDDocumentView
from clea.certification.api.public import JWKSView
from clea.certification.web.issuer import achievement, issuer_home
from clea.dashboards.api import FederationDashboardView
from clea.privacy.api import ProcessingRegisterView
from clea.publishing.api import urls as publishing_api

urlpatterns = [
    path("api/auth/token/", TokenView.as_view(), name="auth-token"),
    path("api/me/", MeView.as_view(), name="me"),
    path("api/federation/audit/", FederationAuditTrailView.as_view(), name="federation-audit"),
    path("api/federation/processing-register/", ProcessingRegisterView.as_view(), name="processing-register"),
    path("api/federation/dashboard/", FederationDashboardView.as_view(), name="federation-dashboard"),
    path("api/federation/", include("clea_tenants.api.urls")),
    path("api/federation/tasks/", include("clea.tasks.api.urls")),
    path("api/federation/", include("clea.certification.api.urls")),  # juries, sessions, certificates
    path("api/federation/register/", include("clea.register.api.urls")),  # establishments, habilitations (R14)
    path("api/federation/", include("clea.ecosystem.api.urls")),  # CPF batches, parchment export
    path("api/public/", include("clea.certification.api.public_urls")),  # verification, status list (no login)
    path("api/public/", include(publishing_api.public_urlpatterns)),  # referential versions (no login)
    path("api/federation/", include(publishing_api.federation_urlpatterns)),  # publish referentials, fees
    path("federation/", include("clea.publishing.web.urls")),  # referential publishing, acts and fees (web)
    path("api/", include("clea.prescribers.api.urls")),  # prescribers (issue 14) and their administration
    path(".well-known/jwks.json", JWKSView.as_view(), name="jwks"),
    path(".well-known/did.json", DIDDocumentView.as_view(), name="did-document"),  # did:web issuer (keys)
    path("certificat-clea/", achievement, name="achievement"),  # the credentials' achievement.id (JSON)
    path("", issuer_home, name="issuer"),  # the issuer's url: OB3 Profile as JSON when asked, else the home page
    path("api/schema/", SpectacularAPIView.as_view(urlconf="clea.urls_public"), name="schema"),
    path("api/docs/", docs_view(), name="docs"),
    path("prescripteur/", include("clea.prescribers.web.urls")),  # the prescribers' pages (issue 14)
    path("api/redoc/", redoc_view(), name="redoc"),
    path("federation/", include("clea.dashboards.urls_public")),  # national dashboard (web, CSV)
    path("federation/registre/", include("clea.register.web.urls")),  # back office: register (French pages)
    path("", include("clea.ecosystem.web.federation_urls")),  # /federation/cpf/: CPF batches (web)
    path("", include("clea.certification.web.urls")),  # French pages: juries, federation staff, /verifier/
]

handler404 = "clea.api.errors.not_found"  # JSON error format under /api/, the HTML page elsewhere
