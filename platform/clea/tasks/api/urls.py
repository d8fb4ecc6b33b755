from __future__ import annotations

from rest_framework.routers import SimpleRouter

from clea.tasks.api.views import FailedTaskViewSet, OutboxMessageViewSet

router = SimpleRouter()
router.register("failed", FailedTaskViewSet, basename="federation-failed-task")
router.register("outbox", OutboxMessageViewSet, basename="federation-outbox-message")

urlpatterns = router.urls
