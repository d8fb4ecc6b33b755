"""Personal data endpoints of an organisation (mounted under ``api/`` by ``clea.urls_tenants``)."""

from django.urls import path

from clea.audit.api import TenantAuditTrailView
from clea.privacy.api import CandidateErasureView, CandidateExportView, MyExportView, RetentionPolicyView

urlpatterns = [
    path("candidates/<int:pk>/export/", CandidateExportView.as_view(), name="candidate-export"),
    path("candidates/<int:pk>/erase/", CandidateErasureView.as_view(), name="candidate-erase"),
    path("me/export/", MyExportView.as_view(), name="my-export"),
    path("privacy/retention/", RetentionPolicyView.as_view(), name="retention-policy"),
    path("audit/", TenantAuditTrailView.as_view(), name="audit-trail"),
]
