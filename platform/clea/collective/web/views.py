"""Pages of collective sessions: the list with the scheduling form, and each session's sheet (enrol, attendance)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from clea.accounts.models import User
from clea.accounts.roles import STAFF
from clea.collective import convocation, services
from clea.collective.models import CollectiveSession, Enrolment
from clea.journey import accommodations
from clea.journey.models import CandidateFileRecord
from clea.kernel.collective import Attendance
from clea.kernel.errors import DomainError
from clea.web.access import EVERYONE, current_user, error_message, role_required, scoped_files


class SessionForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=gettext_lazy("Début"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=gettext_lazy("Fin"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=gettext_lazy("Lieu"), max_length=300, required=False)
    video_link = forms.URLField(label=gettext_lazy("Ou lien de visioconférence"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=gettext_lazy("Capacité"), min_value=1, max_value=50, initial=12)
    modality = forms.CharField(label=gettext_lazy("Modalité (branche)"), max_length=200, required=False)
    evaluators = forms.MultipleChoiceField(label=gettext_lazy("Évaluateur(s)"))
    contact = forms.CharField(label=gettext_lazy("Contact"), max_length=300, required=False)
    what_to_bring = forms.CharField(label=gettext_lazy("À apporter"), max_length=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=STAFF).order_by("last_name", "username")
        field = self.fields["evaluators"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(u.pk), u.get_full_name() or u.username) for u in staff]


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.do_schedule(
                services.SessionInput(
                    on=data["on"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    video_link=data["video_link"],
                    capacity=data["capacity"],
                    modality=data["modality"],
                    evaluator_ids=tuple(int(e) for e in data["evaluators"]),
                    contact=data["contact"],
                    what_to_bring=data["what_to_bring"],
                ),
                user,
            )
        except DomainError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Séance programmée."))
            return redirect("collective:sheet", session.pk)
    today = timezone.localdate()
    listed = services.with_counts(CollectiveSession.objects.all())
    return render(
        request,
        "collective/sessions.html",
        {
            "form": form,
            "upcoming": list(listed.filter(on__gte=today)),
            "past": list(listed.filter(on__lt=today).order_by("-on")[:20]),
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    user = current_user(request)
    session = get_object_or_404(CollectiveSession, pk=session_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        raw = request.POST.get("file_id", "")
        try:
            if not raw.isdigit():
                raise DomainError("file_required", None, "Choisissez un dossier.", "Choose a file.")
            if action == "enrol":
                services.do_enrol(session.pk, int(raw), user)
                messages.success(request, _("Personne convoquée : la convocation lui est envoyée par courriel."))
            elif action == "attendance":
                value = request.POST.get("attendance", "")
                if value not in {a.value for a in Attendance} - {Attendance.PENDING.value}:
                    raise DomainError(
                        "attendance_value",
                        "R3",
                        "Indiquez présent, absent ou excusé.",
                        "Say present, absent or excused.",
                    )
                services.do_mark_attendance(session.pk, int(raw), Attendance(value), user)
                messages.success(request, _("Présence enregistrée."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, error_message(exc))
        return redirect("collective:sheet", session.pk)
    enrolments = list(session.enrolments.select_related("file__candidate").order_by("id"))
    enrolled_ids = {e.file_id for e in enrolments}
    candidates = [
        f
        for f in CandidateFileRecord.objects.filter(state__in=services.AWAITING).select_related("candidate")[:200]
        if f.pk not in enrolled_ids
    ]
    others = {
        e.pk: services.other_sessions(e) for e in enrolments if e.attendance in (Attendance.ABSENT, Attendance.EXCUSED)
    }
    return render(
        request,
        "collective/sheet.html",
        {
            "session": session,
            "evaluators": list(session.evaluators.all()),
            "rows": [
                {
                    "e": e,
                    "label": Attendance(e.attendance).label_fr,
                    "others": others.get(e.pk, []),
                    "accommodations": accommodations.labels_of(e.file_id),
                }
                for e in enrolments
            ],
            "candidates": candidates,
            "full": len(enrolments) >= session.capacity,
            "started": session.on <= timezone.localdate(),
        },
    )


@role_required(*EVERYONE)
@require_GET
def my_convocation_pdf(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """A convocation, for someone allowed to see its file (the candidate: their own); anything else is a 404."""
    user = current_user(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session", "file__candidate"), pk=enrolment_id, file__in=scoped_files(user)
    )
    tenant = getattr(request, "tenant", None)
    body = convocation.convocation_pdf(enrolment, str(getattr(tenant, "name", "")))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convocation-{enrolment.pk}.pdf"'
    return response


@role_required(*STAFF)
@require_GET
def convocation_pdf(request: HttpRequest, session_id: int, file_id: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session", "file__candidate"), session_id=session_id, file_id=file_id
    )
    tenant = getattr(request, "tenant", None)
    body = convocation.convocation_pdf(enrolment, str(getattr(tenant, "name", "")))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convocation-{enrolment.pk}.pdf"'
    return response
