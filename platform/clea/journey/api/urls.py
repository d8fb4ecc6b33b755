from django.urls import path
from rest_framework.routers import DefaultRouter

from clea.journey.api.branches import BranchModalitiesView
from clea.journey.api.evidence_review import EvidenceReviewView
from clea.journey.api.sittings import (
    AccommodationsView,
    CloseEvaluationView,
    OpenEvaluationView,
    SavedPlanPdfView,
    SavedPlanView,
    SittingsView,
)
from clea.journey.api.views import (
    CandidateViewSet,
    EvidenceDownloadView,
    FileViewSet,
    MyFileView,
    TransferImportView,
)

router = DefaultRouter(trailing_slash=True)
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("files", FileViewSet, basename="file")

urlpatterns = [
    # --- operations (issue 13): sittings ---
    path("files/<str:pk>/open-evaluation/", OpenEvaluationView.as_view(), name="file-open-evaluation"),
    path("files/<str:pk>/open-evaluation/close/", CloseEvaluationView.as_view(), name="file-close-evaluation"),
    path("files/<str:pk>/sittings/", SittingsView.as_view(), name="file-sittings"),
    path("files/<str:pk>/accommodations/", AccommodationsView.as_view(), name="file-accommodations"),
    path("files/<str:pk>/evaluation-plan/saved/", SavedPlanView.as_view(), name="file-saved-plan"),
    path("files/<str:pk>/evaluation-plan/saved/pdf/", SavedPlanPdfView.as_view(), name="file-saved-plan-pdf"),
    path("transfers/import/", TransferImportView.as_view(), name="transfer-import"),
    path("files/<str:pk>/evidence/<str:uid>/review/", EvidenceReviewView.as_view(), name="file-evidence-review"),
    path("evidence/<str:uid>/download/", EvidenceDownloadView.as_view(), name="evidence-download"),
    path("me/files/", MyFileView.as_view(), name="my-files"),
    path("branches/modalities/", BranchModalitiesView.as_view(), name="branch-modalities"),
    *router.urls,
]
