"""The organisation's referral inbox API (tenant host), mounted under ``api/`` by ``clea.urls_tenants``."""

from __future__ import annotations

from django.urls import path

from clea.prescribers.api import views

urlpatterns = [
    path("referrals/", views.InboxListView.as_view(), name="referral-inbox"),
    path("referrals/<int:pk>/accept/", views.InboxAcceptView.as_view(), name="referral-accept"),
    path("referrals/<int:pk>/decline/", views.InboxDeclineView.as_view(), name="referral-decline"),
    path(
        "referrals/<int:pk>/withdraw-consent/",
        views.InboxWithdrawConsentView.as_view(),
        name="referral-withdraw-consent",
    ),
]
