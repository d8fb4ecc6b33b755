"""URLs of the federation (public schema): bare base domain, no X-Clea-Tenant header."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clea.api.auth import MeView, TokenView

urlpatterns = [
    path("api/auth/token/", TokenView.as_view(), name="auth-token"),
    path("api/me/", MeView.as_view(), name="me"),
    path("api/federation/", include("clea_tenants.api.urls")),
    path("api/federation/tasks/", include("clea.tasks.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="clea.urls_public"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]
