"""Prescribers' API on the federation host, mounted under ``api/`` by ``clea.urls_public``."""

from __future__ import annotations

from django.urls import path

from clea.prescribers.api import views

urlpatterns = [
    path("prescriber/organisations/", views.OrganisationSearchView.as_view(), name="prescriber-search"),
    path("prescriber/referrals/", views.ReferralListView.as_view(), name="prescriber-referrals"),
    path("prescriber/referrals/bulk/", views.BulkReferralView.as_view(), name="prescriber-referrals-bulk"),
    path("prescriber/referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="prescriber-referral"),
    path(
        "prescriber/referrals/<int:pk>/withdraw-consent/",
        views.WithdrawConsentView.as_view(),
        name="prescriber-referral-withdraw-consent",
    ),
    path("prescriber/cohorts/", views.CohortListView.as_view(), name="prescriber-cohorts"),
    path("prescriber/cohort-registrations/", views.CohortRegistrationView.as_view(), name="prescriber-cohort-register"),
    path("prescriber/figures/", views.FiguresView.as_view(), name="prescriber-figures"),
    path("prescriber/notifications/", views.NotificationListView.as_view(), name="prescriber-notifications"),
    path("prescriber/invitations/", views.InvitationView.as_view(), name="prescriber-invitations"),
    path("federation/prescribers/", views.FederationPrescriberListView.as_view(), name="federation-prescribers"),
    path(
        "federation/prescribers/<int:pk>/approve/",
        views.FederationPrescriberApproveView.as_view(),
        name="federation-prescriber-approve",
    ),
]
