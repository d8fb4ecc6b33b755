"""Dashboard pages: the federation's national dashboard (public host) and an organisation's indicators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.dashboards import charts, export, figures
from clea.dashboards.forms import FederationFiltersForm, PeriodForm
from clea.web.access import role_required

FEDERATION_ROLES: tuple[str, ...] = (Role.FEDERATION_ADMIN, Role.ANALYST)


def _federation_user(request: HttpRequest) -> HttpResponseBase | None:
    """``None`` when a federation administrator or analyst is signed in; otherwise the refusal."""
    user = request.user
    if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
        try:
            return redirect_to_login(request.get_full_path(), reverse("federation:login"))
        except NoReverseMatch:
            raise PermissionDenied from None
    if user.role not in FEDERATION_ROLES:
        raise PermissionDenied
    return None


def rates(f: dict[str, Any]) -> dict[str, str]:
    return {
        "certification": charts.percent(f["certification_rate"]),
        "straight": charts.percent(f["straight_to_jury_rate"]),
    }


@require_GET
def federation(request: HttpRequest) -> HttpResponseBase:
    refused = _federation_user(request)
    if refused is not None:
        return refused
    form = FederationFiltersForm(request.GET or None)
    result = figures.compute(form.filters())
    given = [
        str(dict(form.fields[name].choices).get(value, value))  # type: ignore[attr-defined]
        for name, value in result["filters"].items()
        if value and name in ("region", "branch", "organisation", "prescriber_type")
    ]
    return render(
        request,
        "dashboards/federation.html",
        {
            "form": form,
            "figures": result,
            "rates": rates(result),
            "charts": charts.dashboard_charts(result),
            "scope": " · ".join(given) or "France entière",
        },
    )


@require_GET
def federation_csv(request: HttpRequest) -> HttpResponseBase:
    refused = _federation_user(request)
    if refused is not None:
        return refused
    form = FederationFiltersForm(request.GET or None)
    body = export.to_csv(figures.compute(form.filters()))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clea-indicateurs-{timezone.localdate():%Y%m%d}.csv"'
    return response


def comparison_rows(own: dict[str, Any], national: dict[str, Any]) -> list[dict[str, str]]:
    def days(value: int | None) -> str:
        return "—" if value is None else f"{value} j"

    return [
        {"label": "Dossiers entrés dans le dispositif", "own": str(own["files"]), "national": str(national["files"])},
        {
            "label": "Taux de certification",
            "own": rates(own)["certification"],
            "national": rates(national)["certification"],
        },
        {
            "label": "Directement au jury après l'évaluation préalable",
            "own": rates(own)["straight"],
            "national": rates(national)["straight"],
        },
        {
            "label": "Délai médian jusqu'au certificat",
            "own": days(own["time_to_certificate"]["median_days"]),
            "national": days(national["time_to_certificate"]["median_days"]),
        },
        {
            "label": "Durée médiane des parcours de formation",
            "own": days(own["training"]["median_days"]),
            "national": days(national["training"]["median_days"]),
        },
        {
            "label": "Dossiers décidés par un jury",
            "own": str(own["files_decided"]),
            "national": str(national["files_decided"]),
        },
    ]


def organisation_figures(request: HttpRequest, form: PeriodForm) -> tuple[dict[str, Any], dict[str, Any]]:
    """This organisation's figures and the national ones: never another organisation's."""
    slug = str(request.tenant.slug)  # type: ignore[attr-defined]
    return figures.compute(form.filters(organisation=slug)), figures.compute(form.filters())


@role_required(Role.ADMIN)
@require_GET
def organisation(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    own, national = organisation_figures(request, form)
    return render(
        request,
        "dashboards/tenant.html",
        {
            "form": form,
            "own": own,
            "national": national,
            "comparison": comparison_rows(own, national),
            "own_charts": charts.dashboard_charts(own, prefix="o"),
            "national_charts": charts.dashboard_charts(national, prefix="n"),
        },
    )
