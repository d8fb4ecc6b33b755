from django.urls import path

from clea.collective.api.views import AttendanceView, ConvocationPdfView, EnrolView, SessionsView, SessionView

urlpatterns = [
    path("collective-sessions/", SessionsView.as_view(), name="collective-sessions"),
    path("collective-sessions/<str:session_id>/", SessionView.as_view(), name="collective-session"),
    path("collective-sessions/<str:session_id>/enrolments/", EnrolView.as_view(), name="collective-enrol"),
    path("collective-sessions/<str:session_id>/attendance/", AttendanceView.as_view(), name="collective-attendance"),
    path(
        "collective-sessions/<str:session_id>/convocations/<str:file_id>/pdf/",
        ConvocationPdfView.as_view(),
        name="collective-convocation-pdf",
    ),
]
