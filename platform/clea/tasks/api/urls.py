from __future__ import annotations

from rest_framework.routers import SimpleRouter

from clea.tasks.api.views import FailedTaskViewSet

router = SimpleRouter()
router.register("failed", FailedTaskViewSet, basename="federation-failed-task")

urlpatterns = router.urls
