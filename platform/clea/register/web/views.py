"""The register's back office (public host, French): establishments and habilitations (R14), training bodies,
juries and members. Analysts read, federation admins decide; every change goes through a service (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from clea.accounts import backup_codes
from clea.accounts.roles import FEDERATION_ROLES
from clea.certification.access import PLANNERS, READERS, role_of
from clea.certification.models import Certificate, Jury, JuryMember, JurySubmission
from clea.certification.web.views import federation_role
from clea.kernel.errors import DomainError
from clea.register import juries, security, services
from clea.register.web import forms as f
from clea.web.access import error_message
from clea.web.views.common import after_post
from clea_tenants import training_bodies
from clea_tenants.models import Establishment, Habilitation

PAGE_SIZE = 25


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _can_decide(request: HttpRequest) -> bool:
    return role_of(request.user) in PLANNERS


def _refused(form: Any, error: Exception) -> None:
    if isinstance(error, ValidationError):
        f.add_errors(form, error)
    elif isinstance(error, DomainError):
        form.add_error(None, error_message(error))


@federation_role(*READERS)
def establishments(request: HttpRequest) -> HttpResponse:
    can_decide = _can_decide(request)
    filters = f.EstablishmentFilter(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    form = f.EstablishmentForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisation = data.pop("organisation")
            try:
                establishment = services.add_establishment(
                    organisation, services.EstablishmentInput(**data), request.user
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(request, "Établissement enregistré : vous pouvez maintenant l'habiliter.")
                return after_post(request, reverse("register:establishment", args=[establishment.pk]))
    rows = services.establishments(values.get("q", ""), values.get("region", ""), "", values.get("status", ""))
    context = {
        "page": _page(request, rows.annotate(n=Count("habilitations"))),
        "filters": filters,
        "form": form,
        "can_decide": can_decide,
        "query": request.GET.urlencode(),
    }
    return render(request, "register/establishments.html", context)


@federation_role(*READERS)
def establishment(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Establishment.objects.select_related("organisation"), pk=pk)
    can_decide = _can_decide(request)
    grant_form = f.HabilitationForm(request.POST if request.POST.get("form") == "grant" else None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if request.POST.get("form") == "grant" and grant_form.is_valid():
            data = dict(grant_form.cleaned_data)
            reason = data.pop("reason")
            branch = data.pop("branch")
            try:
                services.grant(
                    row, services.HabilitationInput(**data, branch=branch.code if branch else ""), reason, request.user
                )
            except (ValidationError, DomainError) as error:
                _refused(grant_form, error)
            else:
                messages.success(request, "Habilitation accordée.")
                return after_post(request, request.path)
        elif request.POST.get("form") in ("decide", "renew"):
            return _decide_or_renew(request, row)
    habilitations = [
        {
            "row": h,
            "history": services.history(h),
            "in_force": services.in_force(h),
            "decision": f.DecisionForm(prefix=f"d{h.pk}"),
            "renew": f.RenewForm(prefix=f"r{h.pk}"),
            "files": services.files_in_progress_at_end(h),
        }
        for h in row.habilitations.select_related("branch").prefetch_related("events").order_by("-valid_to", "-id")
    ]
    context = {"e": row, "habilitations": habilitations, "grant_form": grant_form, "can_decide": can_decide}
    return render(request, "register/establishment.html", context)


def _decide_or_renew(request: HttpRequest, row: Establishment) -> HttpResponse:
    habilitation = get_object_or_404(Habilitation, pk=request.POST.get("habilitation"), establishment=row)
    kind = request.POST["form"]
    form: Any = (f.DecisionForm if kind == "decide" else f.RenewForm)(
        request.POST, prefix=f"{kind[0]}{habilitation.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "decide":
                services.decide(habilitation, data["status"], data["reason"], request.user, data["effective_on"])
            else:
                services.renew(habilitation, user=request.user, **data)
        except (ValidationError, DomainError) as error:
            _refused(form, error)
        else:
            messages.success(request, "Décision enregistrée." if kind == "decide" else "Habilitation renouvelée.")
            return after_post(request, request.path)
    errors = [str(e) for e in form.non_field_errors()] + [
        f"{form.fields[name].label} : {e}" for name, errs in form.errors.items() if name != "__all__" for e in errs
    ]
    for message in errors:
        messages.error(request, message)
    return after_post(request, request.path)


@federation_role(*READERS)
def worklist(request: HttpRequest) -> HttpResponse:
    """Ended habilitations with files in progress, and free-text training organisations left to resolve."""
    context = {"ended": services.ended_with_files(), "unmatched": training_bodies.unmatched()[:200]}
    return render(request, "register/worklist.html", context)


@federation_role(*READERS)
def bodies(request: HttpRequest) -> HttpResponse:
    can_decide = _can_decide(request)
    form = f.TrainingBodyForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                training_bodies.create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(request, "Organisme de formation enregistré au registre.")
                return after_post(request, reverse("register:bodies"))
    query = request.GET.get("q", "").strip()
    context = {
        "page": _page(request, training_bodies.search(query, request.GET.get("region", ""))),
        "q": query,
        "form": form,
        "can_decide": can_decide,
    }
    return render(request, "register/bodies.html", context)


@federation_role(*READERS)
def jury_list(request: HttpRequest) -> HttpResponse:
    can_decide = _can_decide(request)
    member_form = f.JuryMemberForm(request.POST if request.POST.get("form") == "member" else None, prefix="m")
    jury_form = f.JuryForm(request.POST if request.POST.get("form") == "jury" else None, prefix="j")
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if request.POST.get("form") == "member" and member_form.is_valid():
            juries.create_member(**member_form.cleaned_data, user=request.user)
            messages.success(request, "Membre de jury enregistré.")
            return after_post(request, reverse("register:juries"))
        if request.POST.get("form") == "jury" and jury_form.is_valid():
            try:
                juries.create_jury(**jury_form.cleaned_data, user=request.user)
            except DomainError as error:
                jury_form.add_error("members", error_message(error))
            else:
                messages.success(request, "Jury paritaire créé.")
                return after_post(request, reverse("register:juries"))
    query = request.GET.get("q", "").strip()
    members = JuryMember.objects.prefetch_related("organisations", "training_bodies").order_by("last_name", "id")
    if query:
        members = members.filter(last_name__icontains=query) | members.filter(first_name__icontains=query)
    context = {
        "juries": Jury.objects.select_related("branch").prefetch_related("members").order_by("name"),
        "page": _page(request, members),
        "q": query,
        "member_form": member_form,
        "jury_form": jury_form,
        "can_decide": can_decide,
    }
    return render(request, "register/juries.html", context)


@federation_role(*FEDERATION_ROLES)
def second_factor(request: HttpRequest) -> HttpResponse:
    """Backup codes for oneself; for administrators, a second-factor reset of another federation person."""
    codes: list[str] = []
    reset_form = f.ResetForm(request.POST if request.POST.get("form") == "reset" else None)
    if request.method == "POST" and request.POST.get("form") == "codes":
        codes = security.issue_backup_codes(request.user)
    elif request.method == "POST" and request.POST.get("form") == "reset":
        if not _can_decide(request):
            raise PermissionDenied
        if reset_form.is_valid():
            target = reset_form.cleaned_data["user"]
            try:
                security.reset_second_factor(target, reset_form.cleaned_data["reason"], request.user)
            except ValidationError as error:
                _refused(reset_form, error)
            else:
                messages.success(
                    request,
                    f"Second facteur réinitialisé pour {target.username} : il s'enrôlera à sa prochaine connexion.",
                )
                return after_post(request, reverse("register:second-factor"))
    context = {
        "codes": codes,
        "remaining": backup_codes.remaining(request.user),
        "reset_form": reset_form,
        "can_reset": _can_decide(request),
    }
    return render(request, "register/second_factor.html", context)


@federation_role(*READERS)
def jury_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One file sent to the jury: its snapshot, the branch sections, the decisions and the certificate."""
    submission = get_object_or_404(JurySubmission.objects.select_related("organisation", "session__jury"), pk=pk)
    snapshot = submission.snapshot
    context = {
        "s": submission,
        "snapshot": snapshot,
        "sections": snapshot.get("branch_sections", []),
        "decisions": submission.decisions.select_related("session__jury").order_by("decided_at"),
        "certificate": Certificate.objects.filter(submission=submission).first(),
    }
    return render(request, "register/jury_file.html", context)


@federation_role(*READERS)
def revocations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    revoked = (
        Certificate.objects.filter(revoked_at__isnull=False).select_related("organisation").order_by("-revoked_at")
    )
    if query:
        revoked = revoked.filter(number__icontains=query) | revoked.filter(candidate_name__icontains=query)
    return render(request, "register/revocations.html", {"page": _page(request, revoked), "q": query})


@federation_role(*READERS)
def jury_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(JuryMember, pk=pk)
    initial = {
        "organisations": list(member.organisations.all()),
        "bodies": list(member.training_bodies.all()),
        "active": member.active,
    }
    form = f.MemberLinksForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not _can_decide(request):
            raise PermissionDenied
        if form.is_valid():
            juries.update_member_links(member, user=request.user, **form.cleaned_data)
            messages.success(request, "Liens du membre enregistrés.")
            return after_post(request, reverse("register:juries"))
    context = {"member": member, "form": form, "can_decide": _can_decide(request), "juries": member.juries.all()}
    return render(request, "register/jury_member.html", context)
