from __future__ import annotations

from django.urls import path

from clea.ecosystem.api import views

urlpatterns = [
    path("cpf/batches/", views.BatchListView.as_view(), name="cpf-batches"),
    path("cpf/batches/<int:batch_id>/xml/", views.BatchXmlView.as_view(), name="cpf-batch-xml"),
    path("cpf/batches/<int:batch_id>/acknowledgement/", views.AcknowledgementView.as_view(), name="cpf-batch-ack"),
    path("cpf/batches/<int:batch_id>/report/", views.ReportView.as_view(), name="cpf-batch-report"),
    path("parchments/", views.ParchmentView.as_view(), name="parchments"),
]
