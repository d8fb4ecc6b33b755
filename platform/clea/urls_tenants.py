"""URLs of an evaluating organisation (tenant schema): ``<slug>.<base>`` or ``X-Clea-Tenant``.

Tenant apps add their API under ``api/`` in ``tenant_api_patterns`` (one ``path(...)`` each).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clea.api.auth import MeView, TokenView

tenant_api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(urlconf="clea.urls_tenants"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    # --- tenant apps: add one line each ---
    path("", include("clea.journey.api.urls")),
]

urlpatterns = [
    path("api/", include(tenant_api_patterns)),
    path("", include("clea.web.urls")),
]
