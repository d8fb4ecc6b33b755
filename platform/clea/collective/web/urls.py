from django.urls import path

from clea.collective.web import views

app_name = "collective"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("<int:session_id>/", views.sheet, name="sheet"),
    path("<int:session_id>/convocations/<int:file_id>/pdf/", views.convocation_pdf, name="convocation-pdf"),
    path("mes-convocations/<int:enrolment_id>/pdf/", views.my_convocation_pdf, name="my-convocation"),
]
