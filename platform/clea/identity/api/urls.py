from __future__ import annotations

from django.urls import path

from clea.identity.api.views import CandidateIdentityView, CommuneSearchView, CommuneView

urlpatterns = [
    path("candidates/<int:candidate_id>/identity/", CandidateIdentityView.as_view(), name="candidate-identity"),
    path("geography/communes/", CommuneSearchView.as_view(), name="communes"),
    path("geography/communes/<str:code>/", CommuneView.as_view(), name="commune"),
]
