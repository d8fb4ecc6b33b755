"""Request routing to a tenant schema, and read-only enforcement for suspended tenants.

Resolution, in order:

1. the host is ``<slug>.<CLEA_BASE_DOMAIN>`` or any other ``Domain`` row -> that organisation
   (``*.localhost`` works in browsers);
2. the host is the bare base domain (or another public host) and the request carries
   ``X-Clea-Tenant: <slug>`` -> that organisation (API clients that cannot pick a host);
3. the bare base domain without the header -> the federation (public schema, public URLconf).

An unknown tenant gets a 404 in the API error format; nothing leaks about which tenants exist
beyond that.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name

from clea.error_body import error_response
from clea_tenants.models import Domain, Organisation
from clea_tenants.schemas import use_public_schema, use_tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _tenant_not_found() -> HttpResponse:
    return error_response(404, "tenant_not_found", _("Organisme inconnu. / Unknown organisation."))


class TenantRoutingMiddleware(TenantMainMiddleware):  # type: ignore[misc, unused-ignore]
    """``TenantMainMiddleware`` plus the ``X-Clea-Tenant`` header and JSON 404s."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        use_public_schema()
        try:
            hostname = self.hostname_from_request(request).lower()
        except DisallowedHost:
            return _tenant_not_found()
        header_slug = request.headers.get(settings.CLEA_TENANT_HEADER, "").strip().lower()

        if hostname in settings.CLEA_PUBLIC_HOSTS:
            if not header_slug:
                self._route_public(request, hostname)
                return None
            tenant = Organisation.objects.filter(slug=header_slug).first()
        else:
            domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
            tenant = domain.tenant if domain else None
            if tenant is not None and header_slug and header_slug != tenant.slug:
                return error_response(
                    400, "tenant_mismatch", _("L'en-tête X-Clea-Tenant contredit le nom d'hôte.")
                )
        if tenant is None:
            return _tenant_not_found()
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        use_tenant(tenant)
        self.setup_url_routing(request)
        return None

    def _route_public(self, request: HttpRequest, hostname: str) -> None:
        tenant = FakeTenant(schema_name=get_public_schema_name())
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        use_public_schema()
        self.setup_url_routing(request, force_public=True)


class SuspendedTenantMiddleware:
    """A suspended (or being deleted) organisation is read-only: unsafe methods get 423.

    Obtaining an API token stays possible, so that people can still read and export their data.
    """

    EXEMPT_PATHS = ("/api/auth/token/",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if (
            isinstance(tenant, Organisation)
            and tenant.is_read_only
            and request.method not in SAFE_METHODS
            and request.path not in self.EXEMPT_PATHS
        ):
            return error_response(
                423,
                "tenant_suspended",
                "Cet organisme est suspendu : consultation seule, aucune modification n'est possible. / "
                "This organisation is suspended: read-only, no change is allowed.",
            )
        return self.get_response(request)
