"""Federation API (``/api/federation/``): juries, members, sessions, submissions, certificates."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from clea.certification.api.views import (
    CertificateViewSet,
    JuryMemberViewSet,
    JurySessionViewSet,
    JuryViewSet,
    SubmissionViewSet,
)

router = SimpleRouter()
router.register("juries", JuryViewSet, basename="federation-jury")
router.register("jury-members", JuryMemberViewSet, basename="federation-jury-member")
router.register("jury-sessions", JurySessionViewSet, basename="federation-jury-session")
router.register("submissions", SubmissionViewSet, basename="federation-submission")
router.register("certificates", CertificateViewSet, basename="federation-certificate")

urlpatterns = router.urls
