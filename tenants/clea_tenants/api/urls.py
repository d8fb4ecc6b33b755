from __future__ import annotations

from rest_framework.routers import SimpleRouter

from clea_tenants.api.views import OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="federation-organisation")

urlpatterns = router.urls
