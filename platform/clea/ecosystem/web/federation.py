"""The federation's CPF page (``/federation/cpf/``): batches, their XML, the CDC's returns, the resend of
corrected rejects, and the parchment export. Same services as ``/api/federation/cpf/``."""

from __future__ import annotations

from datetime import date

import xmlschema
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from clea.certification.access import PLANNERS, READERS, role_of
from clea.certification.web.views import federation_role
from clea.ecosystem import cpf
from clea.ecosystem.models import CpfBatch, RecordStatus
from clea.kernel.errors import DomainError

MAX_UPLOAD = 5 * 1024 * 1024


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _prepared(request: HttpRequest, prepared: cpf.Prepared) -> None:
    for skipped in prepared.skipped:
        messages.warning(request, f"{skipped.number} non transmis : {skipped.reason}.")
    if prepared.batch is None:
        messages.info(request, "Aucun certificat à transmettre.")
    else:
        messages.success(
            request, f"Lot {prepared.batch.filename} préparé ({prepared.batch.records.count()} certificat(s))."
        )


@federation_role(*READERS)
@require_http_methods(["GET", "POST"])
def cpf_batches(request: HttpRequest) -> HttpResponse:
    can_write = role_of(request.user) in PLANNERS
    if request.method == "POST":
        if not can_write:
            return HttpResponse("Action réservée aux administrateurs de la fédération.", status=403)
        try:
            if request.POST.get("action") == "resend":
                _prepared(request, cpf.prepare_resend())
            else:
                start, end = _date(request.POST.get("debut", "")), _date(request.POST.get("fin", ""))
                if start is None or end is None:
                    messages.error(request, "Indiquez le début et la fin de la période (AAAA-MM-JJ).")
                else:
                    _prepared(request, cpf.prepare_batch(start, end))
        except DomainError as exc:
            messages.error(request, exc.message_fr)
        except xmlschema.XMLSchemaValidationError as exc:
            messages.error(request, f"Le lot n'est pas conforme au schéma : {exc.reason}")
        return redirect("ecosystem-cpf")
    batches = list(CpfBatch.objects.prefetch_related("records__certificate"))
    rows = [
        {
            "batch": b,
            "accepted": sum(1 for r in b.records.all() if r.status == RecordStatus.ACCEPTED),
            "rejected": [r for r in b.records.all() if r.status == RecordStatus.REJECTED],
            "count": len(b.records.all()),
        }
        for b in batches
    ]
    return render(request, "ecosystem/cpf.html", {"rows": rows, "can_write": can_write, "current": "cpf"})


@federation_role(*READERS)
def cpf_batch_xml(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(CpfBatch, pk=batch_id)
    response = HttpResponse(batch.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
    return response


@federation_role(*PLANNERS)
@require_http_methods(["POST"])
def cpf_batch_upload(request: HttpRequest, batch_id: int) -> HttpResponse:
    get_object_or_404(CpfBatch, pk=batch_id)
    upload = request.FILES.get("fichier")
    if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
        messages.error(request, "Joignez le fichier XML reçu de la Caisse des Dépôts (5 Mo au plus).")
        return redirect("ecosystem-cpf")
    try:
        if request.POST.get("kind") == "accuse":
            cpf.import_acknowledgement(batch_id, upload.read())
            messages.success(request, "Accusé de réception enregistré.")
        else:
            outcome = cpf.import_report(batch_id, upload.read())
            messages.success(request, f"Compte rendu : {outcome.accepted} accepté(s), {outcome.rejected} rejeté(s).")
    except DomainError as exc:
        messages.error(request, exc.message_fr)
    return redirect("ecosystem-cpf")
