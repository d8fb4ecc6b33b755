"""The organisation's referral inbox pages, mounted at ``orientations/`` by ``clea.urls_tenants``."""

from __future__ import annotations

from django.urls import URLPattern, path

from clea.prescribers.web import inbox

app_name = "referrals"

urlpatterns: list[URLPattern] = [
    path("", inbox.inbox_page, name="inbox"),
    path("<int:pk>/reponse/", inbox.answer, name="answer"),
]
