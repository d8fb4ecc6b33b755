from __future__ import annotations

from django.urls import path

from clea.identity.api.views import CandidateIdentityView, CommuneSearchView

urlpatterns = [
    path("candidates/<int:pk>/identity/", CandidateIdentityView.as_view(), name="candidate-identity"),
    path("geography/communes/", CommuneSearchView.as_view(), name="communes"),
]
