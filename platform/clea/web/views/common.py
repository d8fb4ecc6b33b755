"""Small helpers shared by the page views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Post/redirect/get; an htmx request gets a full-page redirect (``HX-Redirect``) instead of a swap."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
