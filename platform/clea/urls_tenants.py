"""URLs of an evaluating organisation (tenant schema): ``<slug>.<base>`` or ``X-Clea-Tenant``.

Tenant apps add their API under ``api/`` in ``tenant_api_patterns`` (one ``path(...)`` each).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from clea.api.auth import MeView, TokenView
from clea.api.directory import StaffDirectoryView
from clea.api.docs import docs_view, redoc_view
from clea.dashboards.api import OrganisationDashboardView
from clea.publishing.api import urls as publishing_api

tenant_api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(urlconf="clea.urls_tenants"), name="schema"),
    path("docs/", docs_view(), name="docs"),
    path("redoc/", redoc_view(), name="redoc"),
    # --- tenant apps: add one line each ---
    path("", include("clea.journey.api.urls")),
    path("dashboard/", OrganisationDashboardView.as_view(), name="organisation-dashboard"),
    path("", include("clea.privacy.urls")),  # GDPR export / erasure / retention, and the audit trail
    path("staff/", StaffDirectoryView.as_view(), name="staff-directory"),  # evaluator_id / trainer_id to choose
    path("", include(publishing_api.tenant_urlpatterns)),  # the organisation's own statement of acts
    path("", include("clea.prescribers.api.tenant_urls")),  # referrals received from prescribers (issue 14)
    path("", include("clea.identity.api.urls")),  # candidates' civil identity (R15), communes by INSEE code
    path("", include("clea.collective.api.urls")),  # collective evaluation sessions, convocations (issue 13)
]

urlpatterns = [
    path("api/", include(tenant_api_patterns)),
    path("organisme/actes/", include("clea.publishing.web.tenant_urls")),  # own statement of acts (web)
    path("registre/", include("clea.register.web.tenant_urls")),  # training bodies: suggestions, adding one
    path("orientations/", include("clea.prescribers.web.tenant_urls")),  # referrals received (issue 14)
    path("", include("clea.ecosystem.web.urls")),  # documents of a file (R12 attestation), staff and candidate
    path("seances-collectives/", include("clea.collective.web.urls")),  # issue 13
    path("", include("clea.identity.web.urls")),  # the counsellor's civil-identity page (R15)
    path("", include("clea.web.urls")),
]

handler404 = "clea.api.errors.not_found"  # JSON error format under /api/, the HTML page elsewhere
