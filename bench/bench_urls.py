"""The tenant URL conf plus a bare Django JSON view: the baseline served by the same server and stack."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from clea.journey.presenters import present_file
from clea.journey.services import load
from clea.urls_tenants import urlpatterns as tenant_urlpatterns


def bare_json(request: HttpRequest) -> JsonResponse:
    """The floor: a plain Django JSON view doing nothing."""
    return JsonResponse({"status": "ok", "items": list(range(10))})


def bare_file(request: HttpRequest, file_id: int) -> JsonResponse:
    """The same read as ``GET /api/files/<id>/`` in a plain Django view: no DRF, no auth, no permission."""
    return JsonResponse(present_file(load(file_id)))


urlpatterns = [path("bench/bare/", bare_json), path("bench/bare-file/<int:file_id>/", bare_file), *tenant_urlpatterns]
