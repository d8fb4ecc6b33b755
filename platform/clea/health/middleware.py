"""Answer the health paths before host validation and tenant routing.

The kubelet probes a pod at its IP address, a host that is neither in ``ALLOWED_HOSTS`` nor a tenant
``Domain``: through the normal stack the probe would get a 400 (``DisallowedHost``) or a 404 (no tenant
for the host). Placed **first** in ``MIDDLEWARE`` (before ``TenantMainMiddleware`` and
``SecurityMiddleware``), this middleware serves ``/healthz/live`` and ``/healthz/ready`` whatever the
host, and hands every other request on untouched. The views read nothing from the request, so skipping
host validation for these two paths exposes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView  # type: ignore[import-untyped]

from clea.health import views
from clea.health.urls import LIVE_PATH, READY_PATH

_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    f"/{LIVE_PATH}": views.live,
    f"/{READY_PATH}": views.ready,
    "/metrics": ExportToDjangoView,  # Prometheus scrapes the pod IP too; keep /metrics off the public ingress
}


class HealthCheckMiddleware:
    """Serve the health probes for any ``Host``; pass everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = _VIEWS.get(request.path_info.rstrip("/"))
        if view is not None:
            return view(request)
        return self.get_response(request)
