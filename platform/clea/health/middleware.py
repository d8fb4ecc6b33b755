"""Answer the health paths before host validation and tenant routing.

The kubelet probes a pod at its IP address, a host that is neither in ``ALLOWED_HOSTS`` nor a tenant
``Domain``: through the normal stack the probe would get a 400 (``DisallowedHost``) or a 404 (no tenant
for the host). Placed **first** in ``MIDDLEWARE`` (before ``TenantMainMiddleware`` and
``SecurityMiddleware``), this middleware serves ``/healthz/live`` and ``/healthz/ready`` whatever the
host, and hands every other request on untouched. The views read nothing from the request, so skipping
host validation for these two paths exposes nothing else.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from clea.health import views
from clea.health.urls import DETAIL_PATH, LIVE_PATH, READY_PATH
from clea.observability.metrics import metrics_view

_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    f"/{LIVE_PATH}": views.live,
    f"/{READY_PATH}": views.ready,
}
METRICS_PATH = "/metrics"
#: Served like the metrics: to callers inside the cluster (by pod IP), never through the ingress.
_INTERNAL_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    METRICS_PATH: metrics_view,
    f"/{DETAIL_PATH}": views.detail,
}


def _addressed_by_ip(request: HttpRequest) -> bool:
    """Prometheus scrapes pods by IP address; requests through the ingress carry a host name."""
    host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class HealthCheckMiddleware:
    """Serve the health probes for any ``Host``, the metrics to scrapers by IP; pass everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        view = _VIEWS.get(path)
        if view is not None:
            return view(request)
        internal = _INTERNAL_VIEWS.get(path)
        if internal is not None and _addressed_by_ip(request):
            return internal(request)
        return self.get_response(request)
