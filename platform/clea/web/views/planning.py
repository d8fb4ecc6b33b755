"""The evaluation plan (R3): the chosen accredited branch spreads the évaluation préalable over days."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clea.accounts.roles import STAFF
from clea.journey import planning, saved_plans
from clea.journey.branches import pinned_branches
from clea.kernel.errors import DomainError
from clea.web import branching
from clea.web.access import current_user, error_message, load_visible, role_required
from clea.web.forms import EvaluationPlanForm, add_domain_error


@role_required(*STAFF)
@require_GET
def evaluation_plan(request: HttpRequest, file_id: int) -> HttpResponse:
    """Ask the branch chosen for the evaluation for a plan from a start date (nothing is stored)."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    plan: dict[str, Any] | None = None
    with pinned_branches() as caller:
        options = [(identity.code, identity.name) for identity in caller.identities()]
        initial = {
            "branch": options[0][0] if len(options) == 1 else "",
            "start": timezone.localdate(),
            "max_minutes_per_day": planning.DEFAULT_MINUTES_PER_DAY,
            "on_site_possible": True,
        }
        submitted = "start" in request.GET
        form = EvaluationPlanForm(request.GET if submitted else None, branches=options, initial=initial)
        if submitted and options and form.is_valid():
            data = form.cleaned_data
            plan_request = planning.PlanRequest(
                branch=data["branch"],
                start=data["start"],
                max_minutes_per_day=data["max_minutes_per_day"] or planning.DEFAULT_MINUTES_PER_DAY,
                on_site_possible=data["on_site_possible"],
                adjustments=planning.split_adjustments(data["adjustments"]),
            )
            try:
                found = planning.evaluation_plan(str(loaded.record.pk), loaded.referential, plan_request, caller)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                plan = planning.present_plan(found, loaded.referential, planning.branch_names(caller))
                for day in plan["days"]:
                    day["date"] = date.fromisoformat(day["on"])
    return render(
        request,
        "web/plan.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "form": form,
            "plan": plan,
            "no_accreditation": "" if options else str(branching.NO_ACCREDITATION),
            "saved_plan": saved_plans.current_plan(file_id),
            "query": request.GET.urlencode() if submitted else "",
        },
    )


@role_required(*STAFF)
@require_POST
def save_plan(request: HttpRequest, file_id: int) -> HttpResponse:
    """Keep the plan on the file (the grid then offers its days as sittings)."""
    user = current_user(request)
    load_visible(user, file_id)
    with pinned_branches() as caller:
        options = [(identity.code, identity.name) for identity in caller.identities()]
    form = EvaluationPlanForm(request.POST, branches=options)
    if not form.is_valid():
        messages.error(request, _("Le plan n'a pas pu être enregistré : vérifiez les champs du formulaire."))
        return redirect("web:plan", file_id)
    data = form.cleaned_data
    plan_request = planning.PlanRequest(
        branch=data["branch"],
        start=data["start"],
        max_minutes_per_day=data["max_minutes_per_day"] or planning.DEFAULT_MINUTES_PER_DAY,
        on_site_possible=data["on_site_possible"],
        adjustments=planning.split_adjustments(data["adjustments"]),
    )
    try:
        saved_plans.do_save_plan(file_id, plan_request, user)
    except DomainError as exc:
        messages.error(request, error_message(exc))
        return redirect("web:plan", file_id)
    messages.success(
        request, _("Plan d'évaluation enregistré sur le dossier : ses journées sont proposées dans la grille.")
    )
    return redirect("web:plan", file_id)


@role_required(*STAFF)
@require_GET
def plan_pdf(request: HttpRequest, file_id: int) -> HttpResponse:
    user = current_user(request)
    loaded = load_visible(user, file_id)
    saved = saved_plans.current_plan(file_id)
    if saved is None:
        raise Http404
    tenant = getattr(request, "tenant", None)
    body = saved_plans.plan_pdf(saved, loaded.record.candidate.full_name, str(getattr(tenant, "name", "")))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-evaluation-{file_id}.pdf"'
    return response
