"""``/api/federation/register/``: establishments, habilitations (R14), training bodies."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from clea.register.api.views import (
    AccreditedEstablishmentsView,
    EstablishmentViewSet,
    HabilitationViewSet,
    TrainingBodyViewSet,
)

router = SimpleRouter()
router.register("establishments", EstablishmentViewSet, basename="register-establishment")
router.register("habilitations", HabilitationViewSet, basename="register-habilitation")
router.register("training-bodies", TrainingBodyViewSet, basename="register-training-body")

urlpatterns = [
    path("accredited-establishments/", AccreditedEstablishmentsView.as_view(), name="register-accredited"),
    *router.urls,
]
