"""``include("clea.health.urls")`` at the root of both the public and the tenant URL confs."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.health import views

LIVE_PATH = "healthz/live"
READY_PATH = "healthz/ready"
DETAIL_PATH = "healthz/detail"  # served by the middleware to in-cluster callers only (not routed here)

urlpatterns: list[URLPattern] = [
    path(LIVE_PATH, views.live, name="healthz-live"),
    path(READY_PATH, views.ready, name="healthz-ready"),
]
