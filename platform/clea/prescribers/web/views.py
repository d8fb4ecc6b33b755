"""The prescriber's pages on the federation host (``/prescripteur/``), the federation's administration of
prescriber organisations, and the public cohort registration page. They call the same services as the API."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clea.accounts.roles import Role
from clea.kernel.errors import DomainError
from clea.kernel.prescribers import Stage
from clea.prescribers import bulk, services
from clea.prescribers.access import member_of, visible_cohorts, visible_referrals
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation, PrescriberStatus
from clea.prescribers.web import forms
from clea.web.views.common import after_post

PrescriberView = Callable[..., HttpResponseBase]


def prescriber_required(view: PrescriberView) -> PrescriberView:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("prescribers:login"))
        member = member_of(request.user)
        if member is None:
            raise PermissionDenied
        return view(request, member, *args, **kwargs)

    return wrapper


def federation_admin_required(view: PrescriberView) -> PrescriberView:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("federation:login"))
        if getattr(request.user, "role", "") != Role.FEDERATION_ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def organisation_choices() -> list[tuple[int, str]]:
    return [(o.pk, f"{o.name} ({o.get_region_display()})") for o in services.accredited_organisations()]


def _domain_error(request: HttpRequest, form: Any, error: DomainError) -> None:
    form.add_error(None, error.message_fr)


@prescriber_required
def home(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    referrals = visible_referrals(member)
    stage = request.GET.get("etape", "")
    if stage in set(Stage):
        referrals = referrals.filter(stage=stage)
    notifications = member.organisation.notifications.filter(referral__consent_withdrawn_at__isnull=True)[:10]
    context = {
        "member": member,
        "referrals": referrals[:500],
        "stage": stage,
        "stages": [(s.value, s.label_fr) for s in Stage],
        "notifications": notifications,
    }
    return render(request, "prescribers/home.html", context)


@prescriber_required
def search(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        data = {k: str(v) for k, v in form.cleaned_data.items() if v}
        results = services.search_organisations(
            region=data.get("region", ""),
            branch=data.get("branch", ""),
            department=data.get("department", ""),
            postcode=data.get("postcode", ""),
        )
    return render(request, "prescribers/search.html", {"member": member, "form": form, "results": results})


@prescriber_required
def refer(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisme", "")}
    form = forms.ReferralForm(request.POST or None, initial=initial, organisations=organisation_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = services.refer(
                member,
                d["organisation"],
                services.Person(d["first_name"], d["last_name"], d["email"], d["phone"]),
                services.ReferralConsent(d["consent_given_on"], d["consent_wording"], d["share_results"]),
                d["message"],
            )
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            messages.success(request, _("Orientation envoyée à %(org)s.") % {"org": referral.organisation.name})
            return after_post(request, reverse("prescribers:referral", args=[referral.pk]))
    return render(
        request, "prescribers/refer.html", {"member": member, "form": form}, status=400 if form.errors else 200
    )


@prescriber_required
def referral(request: HttpRequest, member: PrescriberMember, pk: int) -> HttpResponse:
    found = get_object_or_404(visible_referrals(member), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.withdraw_consent(found.pk, member.organisation)
        messages.success(request, _("Consentement retiré : la personne n'est plus suivie."))
        return after_post(request, reverse("prescribers:home"))
    dates = [(Stage(k).label_fr, v) for k, v in found.stage_dates.items()] if found.is_shared else []
    return render(request, "prescribers/referral.html", {"member": member, "referral": found, "dates": dates})


@prescriber_required
def attestation(request: HttpRequest, member: PrescriberMember, pk: int) -> HttpResponse:
    found = get_object_or_404(visible_referrals(member), pk=pk)
    if not (found.is_shared and found.attestation_pdf):
        raise Http404
    response = HttpResponse(bytes(found.attestation_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{found.pk}.pdf"'
    return response


@prescriber_required
def bulk_import(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    form = forms.BulkForm(request.POST or None, request.FILES or None, organisations=organisation_choices())
    report = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = bulk.import_spreadsheet(
                member, d["organisation"], d["file"].read(), d["file"].name, d["message"], d["consent_wording"]
            )
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            if report.ok:
                messages.success(request, _("%(n)d personnes orientées.") % {"n": len(report.imported)})
                return after_post(request, reverse("prescribers:home"))
    status = 400 if form.errors or (report and not report.ok) else 200
    context = {"member": member, "form": form, "report": report, "columns": bulk.COLUMNS}
    return render(request, "prescribers/bulk.html", context, status=status)


@prescriber_required
def bulk_template(request: HttpRequest, member: PrescriberMember, extension: str) -> HttpResponse:
    if extension not in bulk.FORMATS:
        raise Http404
    fmt = bulk.FORMATS[extension]
    response = HttpResponse(bulk.template(extension), content_type=fmt.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="modele-orientations.{extension}"'
    return response


@prescriber_required
def cohorts(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    form = forms.CohortForm(request.POST or None, organisations=organisation_choices())
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            cohort = services.open_cohort(member, d["organisation"], d["name"], d["message"])
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            messages.success(request, _("Cohorte ouverte : code %(code)s.") % {"code": cohort.code})
            return after_post(request, reverse("prescribers:cohorts"))
    items = visible_cohorts(member)
    base = request.build_absolute_uri("/prescripteur/cohorte/")
    context = {"member": member, "form": form, "cohorts": items, "base": base}
    return render(request, "prescribers/cohorts.html", context, status=400 if form.errors else 200)


def cohort_registration(request: HttpRequest, code: str) -> HttpResponse:
    """Public: a person registers with a cohort's code (no account)."""
    cohort = services.open_cohort_by_code(code)
    if cohort is None:
        raise Http404
    form = forms.CohortRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.register_in_cohort(
                code,
                services.Person(d["first_name"], d["last_name"], d["email"], d["phone"]),
                services.ReferralConsent(timezone.localdate(), d["consent_wording"], d["share_results"]),
            )
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            return render(request, "prescribers/cohort_done.html", {"cohort": cohort})
    return render(
        request,
        "prescribers/cohort_register.html",
        {"cohort": cohort, "form": form},
        status=400 if form.errors else 200,
    )


@prescriber_required
def figures(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    result = services.prescriber_figures(visible_referrals(member))
    by_stage = [(Stage(k).label_fr, v) for k, v in result.by_stage.items()]
    return render(request, "prescribers/figures.html", {"member": member, "figures": result, "by_stage": by_stage})


@prescriber_required
def figures_csv(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    """One line per followed person: stage and dates only (never the evaluation's content)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orientations.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["prénom", "nom", "organisme", "orienté le", "étape", "depuis le", "certificat"])
    for r in visible_referrals(member):
        writer.writerow(
            [
                r.first_name,
                r.last_name,
                r.organisation.name,
                r.created_at.date().isoformat(),
                r.stage_label,
                r.stage_on.isoformat() if r.stage_on else "",
                r.certificate_number if r.is_shared else "",
            ]
        )
    return response


@prescriber_required
def team(request: HttpRequest, member: PrescriberMember) -> HttpResponse:
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(member, form.cleaned_data["email"], is_admin=form.cleaned_data["is_admin"])
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            messages.success(request, _("Invitation envoyée."))
            return after_post(request, reverse("prescribers:team"))
    members = member.organisation.members.select_related("user").order_by("user__last_name")
    pending = member.organisation.invitations.filter(accepted_at__isnull=True)
    context = {"member": member, "form": form, "members": members, "pending": pending}
    return render(request, "prescribers/team.html", context, status=400 if form.errors else 200)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.open_invitation(token)
    if found is None:
        raise Http404
    form = forms.InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token, **form.cleaned_data)
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            messages.success(request, _("Votre compte est créé : connectez-vous."))
            return after_post(request, reverse("prescribers:login"))
    return render(
        request, "prescribers/invitation.html", {"invitation": found, "form": form}, status=400 if form.errors else 200
    )


def request_account(request: HttpRequest) -> HttpResponse:
    """Public: a prescriber organisation asks for an account; the federation approves it, then its first
    administrator receives the invitation."""
    form = forms.PrescriberOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        admin_email = data.pop("admin_email")
        try:
            services.create_organisation(data, admin_email=admin_email, approved=False, by=None)
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            return render(request, "prescribers/request_done.html")
    return render(request, "prescribers/request.html", {"form": form}, status=400 if form.errors else 200)


@federation_admin_required
def federation_prescribers(request: HttpRequest) -> HttpResponse:
    form = forms.PrescriberOrganisationForm(request.POST or None)
    if request.method == "POST" and request.POST.get("approve"):
        services.approve_organisation(
            get_object_or_404(PrescriberOrganisation, pk=request.POST["approve"]).pk, request.user
        )
        messages.success(request, _("Organisation validée ; son administrateur est invité."))
        return after_post(request, reverse("prescribers:federation"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        admin_email = data.pop("admin_email")
        try:
            services.create_organisation(data, admin_email=admin_email, approved=True, by=request.user)
        except DomainError as error:
            _domain_error(request, form, error)
        else:
            messages.success(request, _("Organisation créée ; son administrateur est invité."))
            return after_post(request, reverse("prescribers:federation"))
    organisations = PrescriberOrganisation.objects.order_by("status", "name")
    context = {"form": form, "organisations": organisations, "pending": PrescriberStatus.PENDING}
    return render(request, "prescribers/federation.html", context, status=400 if form.errors else 200)
