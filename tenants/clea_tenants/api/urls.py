from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from clea_tenants.api.accreditations import BranchViewSet, OrganisationAccreditationsView, RevokeAccreditationView
from clea_tenants.api.views import OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="federation-organisation")
router.register("branches", BranchViewSet, basename="federation-branch")

urlpatterns = [
    path(
        "organisations/<str:slug>/accreditations/",
        OrganisationAccreditationsView.as_view(),
        name="federation-organisation-accreditations",
    ),
    path(
        "organisations/<str:slug>/accreditations/<slug:branch>/revoke/",
        RevokeAccreditationView.as_view(),
        name="federation-organisation-accreditation-revoke",
    ),
    *router.urls,
]
