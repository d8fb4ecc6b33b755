"""The federation's pages for referential versions and acts & fees (public host, under ``federation/``),
and an organisation's own statement of acts (its host, ``organisme/actes/``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.kernel.errors import DomainError
from clea.kernel.fees import ACT_LABELS_FR, ActKind, Statement
from clea.publishing import acts, fees, referentials
from clea.publishing.pdf import month_fr, statement_pdf
from clea.publishing.web.forms import ConfirmForm, PeriodForm, TariffForm, UploadForm
from clea.referentials.models import ReferentialVersion
from clea_tenants.models import Organisation

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]
READERS = (Role.FEDERATION_ADMIN, Role.ANALYST)
WRITERS = (Role.FEDERATION_ADMIN,)


def staff(*roles: str) -> Callable[[View[P]], View[P]]:
    """Anonymous people go to the federation's login page; another role is a 403."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
                try:
                    return redirect_to_login(request.get_full_path(), reverse("federation:login"))
                except NoReverseMatch:  # on an organisation's host
                    return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View[P], wrapper)

    return decorate


def _version(identity: str) -> ReferentialVersion:
    try:
        return referentials.get_version(identity)
    except ReferentialVersion.DoesNotExist:
        raise Http404 from None


# --- referential versions -------------------------------------------------------------------------------


@staff(*READERS)
@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    in_force = referentials.in_force_identities()
    rows = [{"v": v, "status": referentials.status_of(v, in_force), "label": ""} for v in referentials.versions()]
    for row in rows:
        row["label"] = referentials.STATUS_FR[str(row["status"])]
    return render(
        request,
        "publishing/versions.html",
        {"rows": rows, "can_publish": getattr(request.user, "role", "") in WRITERS},
    )


@staff(*READERS)
@require_GET
def version(request: HttpRequest, identity: str) -> HttpResponse:
    found = _version(identity)
    detail = referentials.version_detail(found, referentials.in_force_identities())
    return render(
        request,
        "publishing/version.html",
        {"v": found, "detail": detail, "status": referentials.STATUS_FR[detail["status"]]},
    )


@staff(*READERS)
@require_GET
def export(request: HttpRequest, identity: str, fmt: str) -> HttpResponse:
    if fmt not in referentials.FORMATS:
        raise Http404
    found = _version(identity)
    if fmt == "csv":
        response = HttpResponse("\ufeff" + referentials.export_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(referentials.export_yaml(found), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{referentials.export_filename(found, fmt)}"'
    return response


def _preview_page(request: HttpRequest, preview: referentials.Preview, form: ConfirmForm | None = None) -> HttpResponse:
    upload = preview.upload
    form = form or ConfirmForm(
        initial={
            "content": upload.text,
            "source_format": upload.source_format,
            "source_name": upload.source_name,
            "expected_current": preview.current.identity if preview.current else "",
            "effective_from": timezone.localdate(),
        }
    )
    return render(
        request,
        "publishing/preview.html",
        {"preview": preview, "upload": upload, "diff": preview.diff, "form": form},
        status=400 if form.errors else 200,
    )


@staff(*WRITERS)
def publish(request: HttpRequest) -> HttpResponse:
    """Upload a file: checked, then its diff against the version in force (nothing stored yet)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["fichier"]
        try:
            upload = referentials.read_upload(
                given.read(), given.name, "", form.cleaned_data["code"], form.cleaned_data["titre"]
            )
        except referentials.PublishingError as error:
            for message in error.messages:
                form.add_error("fichier", message)
        else:
            return _preview_page(request, referentials.preview(upload))
    return render(request, "publishing/upload.html", {"form": form}, status=400 if form.errors else 200)


@staff(*WRITERS)
@require_POST
def confirm(request: HttpRequest) -> HttpResponseBase:
    form = ConfirmForm(request.POST)
    content = request.POST.get("content", "")
    name = request.POST.get("source_name", "") or "référentiel.yaml"
    try:
        upload = referentials.read_upload(content.encode("utf-8"), name, "yaml")
    except referentials.PublishingError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("publishing:upload")
    upload = referentials.Upload(
        upload.text, upload.referential, upload.document, request.POST.get("source_format", "yaml"), name
    )
    if form.is_valid():
        try:
            published = referentials.publish_upload(
                upload,
                form.cleaned_data["effective_from"],
                request.user,
                form.cleaned_data["expected_current"],
            )
        except referentials.PublishingError as error:
            for message in error.messages:
                form.add_error("effective_from" if error.field == "effective_from" else None, message)
        else:
            messages.success(
                request,
                f"Version {published.identity} publiée : les nouveaux dossiers l'utilisent à partir du "
                f"{published.effective_from:%d/%m/%Y}.",
            )
            return redirect("publishing:version", identity=published.identity)
    return _preview_page(request, referentials.preview(upload), form)


# --- acts and fees --------------------------------------------------------------------------------------


def _kinds() -> list[tuple[str, str]]:
    counted = acts.counted_kinds()
    return [(kind.value, label) for kind, label in ACT_LABELS_FR.items() if kind in counted]


@staff(*READERS)
@require_GET
def fees_home(request: HttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    totals = fees.federation_totals(start, end)
    kinds = _kinds()
    rows = [{"row": row, "counts": [row.counts.get(ActKind(k), 0) for k, _ in kinds]} for row in totals.rows]
    return render(
        request,
        "publishing/fees.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "query": period.query(),
            "kinds": kinds,
            "rows": rows,
            "totals": [totals.counts[ActKind(k)] for k, _ in kinds],
            "total_ht": totals.total_ht,
            "tariffs": fees.tariff_records(),
            "tariff_form": TariffForm(),
            "can_write": getattr(request.user, "role", "") in WRITERS,
            "establishments_counted": ActKind.ESTABLISHMENT in acts.counted_kinds(),
        },
    )


@staff(*READERS)
@require_GET
def totals_csv(request: HttpRequest) -> HttpResponse:
    start, end = PeriodForm(request.GET or None).period()
    response = HttpResponse(
        "\ufeff" + fees.totals_csv(fees.federation_totals(start, end)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="actes-federation-{start:%Y%m}-{end:%Y%m}.csv"'
    return response


@staff(*WRITERS)
@require_POST
def add_tariff(request: HttpRequest) -> HttpResponseBase:
    form = TariffForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            fees.add_tariff(
                ActKind(data["kind"]), data["unit_price"], data["valid_from"], data["vat_rate"], request.user
            )
        except DomainError as error:
            form.add_error(None, error.message_fr)
        else:
            messages.success(request, f"Tarif « {ACT_LABELS_FR[ActKind(data['kind'])]} » enregistré.")
            return redirect("publishing:fees")
    period = PeriodForm()
    start, end = period.period()
    return render(
        request,
        "publishing/fees.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "query": period.query(),
            "kinds": _kinds(),
            "rows": [],
            "totals": [],
            "total_ht": None,
            "tariffs": fees.tariff_records(),
            "tariff_form": form,
            "can_write": True,
            "establishments_counted": ActKind.ESTABLISHMENT in acts.counted_kinds(),
        },
        status=400,
    )


def _statement_file(result: Statement, organisation: Organisation, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + fees.statement_csv(result, str(organisation.name)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "pdf":
        response = HttpResponse(
            statement_pdf(result, str(organisation.name), str(organisation.siret)), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{fees.statement_filename(result, fmt)}"'
    return response


def _statement_page(request: HttpRequest, organisation: Organisation, fmt: str, files_url: str) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    result = fees.statement(organisation, start, end)
    if fmt != "html":
        return _statement_file(result, organisation, fmt)
    return render(
        request,
        "publishing/statement.html",
        {
            "organisation": organisation,
            "result": result,
            "lines": [(month_fr(line.month), line) for line in result.lines],
            "period": period,
            "query": period.query(),
            "files_url": files_url,
            "base": "certification/base.html" if files_url.startswith("/federation/") else "web/base.html",
        },
        status=400 if period.errors else 200,
    )


@staff(*READERS)
@require_GET
def statement(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    organisation = Organisation.objects.exclude(schema_name="public").filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return _statement_page(request, organisation, fmt, reverse("publishing:statement", args=[slug]))


@staff(Role.ADMIN)
@require_GET
def own_statement(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    organisation = cast(Any, request).tenant
    return _statement_page(request, organisation, fmt, reverse("publishing-own:statement"))
