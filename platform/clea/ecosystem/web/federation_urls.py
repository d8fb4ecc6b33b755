from __future__ import annotations

from django.urls import path

from clea.ecosystem.web import federation

urlpatterns = [
    path("federation/cpf/", federation.cpf_batches, name="ecosystem-cpf"),
    path("federation/cpf/<int:batch_id>/flux.xml", federation.cpf_batch_xml, name="ecosystem-cpf-xml"),
    path("federation/cpf/<int:batch_id>/retour/", federation.cpf_batch_upload, name="ecosystem-cpf-upload"),
]
