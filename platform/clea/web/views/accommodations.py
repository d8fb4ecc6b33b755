"""The candidate's accommodations (aménagements, R3): staff record them; the grid and the session sheet show them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clea.accounts.roles import STAFF
from clea.journey import accommodations
from clea.journey.models import AccommodationRecord
from clea.kernel.accommodations import AccommodationKind
from clea.kernel.errors import DomainError
from clea.web.access import current_user, error_message, load_visible, role_required


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def accommodations_page(request: HttpRequest, file_id: int) -> HttpResponse:
    user = current_user(request)
    loaded = load_visible(user, file_id)
    error = ""
    if request.method == "POST":
        try:
            accommodations.do_record_accommodation(
                file_id,
                request.POST.get("kind", ""),
                request.POST.get("detail", "")[:600],
                request.POST.get("justification_seen") == "on",
                user,
            )
        except DomainError as exc:
            error = error_message(exc)
        else:
            messages.success(request, _("Aménagement enregistré."))
            return redirect("web:accommodations", file_id)
    return render(
        request,
        "web/accommodations.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "items": [accommodations.present(r) for r in AccommodationRecord.objects.filter(file_id=file_id)],
            "kinds": [(k.value, k.label_fr) for k in AccommodationKind],
            "error": error,
            "posted": request.POST,
        },
    )
