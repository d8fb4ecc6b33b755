"""The growing evidence file in the web (issue 13 §4).

* ``/dossiers/{id}/dossier-de-preuves/``: staff and the candidate's trainer see every piece with who added it,
  when, and its review; they add pieces (accepted as added); staff accept or reject a candidate's upload.
* ``/mon-dossier/{id}/preuves/``: the candidate uploads a piece (a phone photo of a document) that waits
  for review; the portal shows the outcome and the reason of a rejection.

Every change goes through :mod:`clea.journey.evidence_review`, the service the API calls too.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clea.accounts.roles import STAFF, Role
from clea.journey import evidence_review
from clea.journey.models import Evidence
from clea.kernel.errors import DomainError
from clea.web.access import EVERYONE, current_user, error_message, load_visible, role_required, scoped_files
from clea.web.forms import EvidenceForm

UPLOADERS = (*STAFF, Role.TRAINER)


def _add(request: HttpRequest, file_id: int) -> str:
    """Adds the posted piece through the service; returns the French error, or ``""``."""
    user = current_user(request)
    loaded = load_visible(user, file_id, "web.evidence_file")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
    criterion = form.cleaned_data["criterion"] or ""
    if criterion and criterion not in loaded.referential.criterion_codes:
        return _("Critère inconnu : %(c)s.") % {"c": criterion}
    try:
        evidence_review.upload(loaded.record, form.cleaned_data["content"], form.cleaned_data["title"], criterion, user)
    except DomainError as exc:
        return error_message(exc)
    return ""


@role_required(*UPLOADERS)
@require_http_methods(["GET", "POST"])
def evidence_file(request: HttpRequest, file_id: int) -> HttpResponse:
    user = current_user(request)
    loaded = load_visible(user, file_id, "web.evidence_file")
    error = ""
    if request.method == "POST":
        error = _add(request, file_id)
        if not error:
            messages.success(request, _("Preuve ajoutée."))
            return redirect("web:evidence-file", file_id)
    pieces = list(loaded.record.evidence.select_related("uploaded_by", "reviewed_by"))
    criteria = sorted(loaded.referential.criterion_codes)
    return render(
        request,
        "web/evidence_file.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "pieces": pieces,
            "criteria": criteria,
            "can_review": user.role in STAFF,
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@role_required(*STAFF)
@require_POST
def review_piece(request: HttpRequest, file_id: int, uid: UUID) -> HttpResponse:
    user = current_user(request)
    loaded = load_visible(user, file_id, "web.evidence_review")
    try:
        evidence_review.review(
            loaded.record, str(uid), request.POST.get("decision", ""), request.POST.get("reason", ""), user
        )
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Examen de la preuve enregistré."))
    return redirect(reverse("web:evidence-file", args=[file_id]) + f"#preuve-{uid}")


@role_required(*EVERYONE)
@require_POST
def portal_upload(request: HttpRequest, file_id: int) -> HttpResponse:
    """The candidate's own upload; for anyone else (or another file) the page does not exist: 404."""
    user = current_user(request)
    if user.role != Role.CANDIDATE or not scoped_files(user).filter(pk=file_id).exists():
        raise Http404
    error = _add(request, file_id)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Preuve envoyée : elle sera examinée par votre conseiller."))
    return redirect(reverse("web:portal") + f"#f{file_id}-ev")
