"""The organisation's inbox page (tenant host): accept a referral into a welcomed file, or decline it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clea.accounts.roles import STAFF
from clea.kernel.errors import DomainError
from clea.prescribers.inbox import services as inbox
from clea.prescribers.inbox.models import InboxStatus, IncomingReferral
from clea.prescribers.web.forms import DeclineForm
from clea.web.access import current_user, role_required
from clea.web.views.common import after_post


@role_required(*STAFF)
def inbox_page(request: HttpRequest) -> HttpResponse:
    pending = inbox.pending()
    answered = IncomingReferral.objects.exclude(status=InboxStatus.PENDING).order_by("-answered_at")[:50]
    context = {"pending": pending, "answered": answered, "form": DeclineForm()}
    return render(request, "prescribers/inbox.html", context)


@role_required(*STAFF)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    incoming = get_object_or_404(IncomingReferral, pk=pk)
    if request.method != "POST":
        return after_post(request, reverse("referrals:inbox"))
    user = current_user(request)
    try:
        if request.POST.get("action") == "accept":
            record = inbox.accept(incoming.pk, user)
            messages.success(request, _("Orientation acceptée : la personne est accueillie."))
            return after_post(request, reverse("web:file", args=[record.pk]))
        form = DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indiquez au prescripteur le motif du refus."))
            return after_post(request, reverse("referrals:inbox"))
        inbox.decline(incoming.pk, user, form.cleaned_data["reason"])
        messages.success(request, _("Orientation déclinée ; le prescripteur est prévenu."))
    except DomainError as error:
        messages.error(request, error.message_fr)
    return after_post(request, reverse("referrals:inbox"))
