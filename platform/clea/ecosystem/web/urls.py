from __future__ import annotations

from django.urls import path

from clea.ecosystem.web.views import document_download

urlpatterns = [
    path("documents/<uuid:uid>/", document_download, name="ecosystem-document"),
]
