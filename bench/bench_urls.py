"""The tenant URL conf plus a bare Django JSON view: the baseline served by the same server and stack."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from clea.urls_tenants import urlpatterns as tenant_urlpatterns


def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "items": list(range(10))})


urlpatterns = [path("bench/bare/", bare_json), *tenant_urlpatterns]
