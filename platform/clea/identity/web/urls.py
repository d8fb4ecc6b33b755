from __future__ import annotations

from django.urls import path

from clea.identity.web.views import identity_edit

urlpatterns = [path("dossiers/<int:file_id>/etat-civil/", identity_edit, name="identity-edit")]
