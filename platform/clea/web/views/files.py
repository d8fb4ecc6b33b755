"""A candidate's file: intake with consent, the file page, mastery, jury submission and transfers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clea.accounts.models import User
from clea.accounts.roles import STAFF
from clea.journey import services, transfer
from clea.journey.branches import tenant_branches
from clea.journey.candidates import welcome_new_candidate
from clea.journey.presenters import days_left_of
from clea.kernel.errors import DomainError
from clea.kernel.journey import Consent, FileState, PrescriberType, Referral
from clea.web.access import EVERYONE, current_user, file_id_of, load_visible, record_of, role_required
from clea.web.branching import decision_branch_facts
from clea.web.forms import (
    ConsentForm,
    ImportForm,
    IntakeForm,
    SubmitForm,
    TransferForm,
    VersionedForm,
    add_domain_error,
)
from clea.web.labels import DECISION_LABELS
from clea.web.presenting import mastery_view, next_step, state_label
from clea.web.views.common import after_post
from clea_tenants.validators import schema_name_for


def _consent(data: dict[str, Any]) -> Consent | None:
    return Consent(data["consent_purpose"], timezone.localdate()) if data.get("consent") else None


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """R1/R2: welcome a person (with the prescriber's referral), and open the file if they consent."""
    user = current_user(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = (
            Referral(PrescriberType(data["prescriber_type"]), data["prescriber_name"], data["referred_on"])
            if data["prescriber_type"]
            else None
        )
        try:
            with transaction.atomic():
                details = {field: data[field] for field in ("first_name", "last_name", "birth_date", "email", "phone")}
                welcomed = welcome_new_candidate(details, user, referral)
                file_id = file_id_of(welcomed)
                if data["consent"]:
                    version = record_of(welcomed).version
                    services.do_open_file(file_id, version, _consent(data), user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if data["consent"]:
                messages.success(request, _("Dossier ouvert avec le consentement de la personne."))
            else:
                messages.info(
                    request, _("Personne accueillie. Le dossier s'ouvrira quand son consentement sera recueilli.")
                )
            return after_post(request, reverse("web:file", args=[file_id]))
    return render(request, "web/intake.html", {"form": form})


def _file_context(request: HttpRequest, loaded: services.Loaded, **extra: Any) -> dict[str, Any]:
    user = current_user(request)
    record = loaded.record
    today = timezone.localdate()
    names = {identity.code: identity.name for identity in tenant_branches().identities()}
    decisions = [
        {
            "label": DECISION_LABELS.get(d.kind, d.kind.value),
            "at": d.at,
            "state": state_label(d.to_state.value),
            **decision_branch_facts(d.detail, names),  # branch used, "Avertissements de la branche"
        }
        for d in reversed(loaded.file.decisions)
    ]
    path = loaded.file.current_path
    return {
        "record": record,
        "candidate": record.candidate,
        "state_label": state_label(record.state),
        "days_left": days_left_of(record),
        "today": today,
        "step": next_step(record.pk, record.state, user.role),
        "decisions": decisions,
        "path": path,
        "evidence": list(record.evidence.all()),
        "is_staff_role": user.role in STAFF,
        "can_transfer": not FileState(record.state).is_terminal and user.role in STAFF,
        "consent_form": extra.pop("consent_form", None) or ConsentForm(initial={"version": record.version}),
        "submit_form": extra.pop("submit_form", None) or SubmitForm(initial={"version": record.version}),
        **extra,
    }


@role_required(*STAFF, "trainer")
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    loaded = load_visible(current_user(request), file_id)
    return render(request, "web/file.html", _file_context(request, loaded))


def _file_action(
    request: HttpRequest,
    file_id: int,
    form: VersionedForm,
    form_name: str,
    action: Callable[[dict[str, Any], User], object],
    done: str,
) -> HttpResponse:
    """A form of the file page: run the service on a valid form; its refusal goes next to the field."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    if form.is_valid():
        try:
            action(form.cleaned_data, user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return after_post(request, reverse("web:file", args=[file_id]))
    return render(request, "web/file.html", _file_context(request, loaded, **{form_name: form}))


@role_required(*STAFF)
@require_POST
def open_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """R2: the file opens only with the person's explicit consent (the kernel refuses otherwise)."""
    return _file_action(
        request,
        file_id,
        ConsentForm(request.POST),
        "consent_form",
        lambda data, user: services.do_open_file(file_id, data["version"], _consent(data), user),
        _("Dossier ouvert avec le consentement de la personne."),
    )


@role_required(*STAFF)
@require_POST
def submit_to_jury(request: HttpRequest, file_id: int) -> HttpResponse:
    """R10: send the file to the federation's jury."""
    return _file_action(
        request,
        file_id,
        SubmitForm(request.POST),
        "submit_form",
        lambda data, user: services.do_submit(file_id, data["version"], user),
        _("Le dossier a été transmis au jury."),
    )


@role_required(*EVERYONE)
def mastery(request: HttpRequest, file_id: int) -> HttpResponse:
    """R4: what is acquired, computed from the evaluations; strengths first (R3)."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    view = mastery_view(loaded.referential, services.mastery_of(loaded))
    cleared = request.GET.get("clear", "")
    return render(
        request,
        "web/mastery.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "state_label": state_label(loaded.record.state),
            "m": view,
            "clear_draft": cleared if cleared in ("initial", "final") else "",
            "referential": loaded.referential,
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def transfer_out(request: HttpRequest, file_id: int) -> HttpResponse:
    """R2: close this copy and hand out the signed bundle to copy into the target organisation."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    form = TransferForm(request.POST or None, initial={"version": loaded.record.version})
    bundle = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, bundle = transfer.do_transfer_out(
                file_id, data["version"], schema_name_for(data["target"]), _consent(data), user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "web/transfer.html",
        {"record": loaded.record, "candidate": loaded.record.candidate, "form": form, "bundle": bundle},
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def transfer_import(request: HttpRequest) -> HttpResponse:
    """R2: take over a file another organisation transferred, with the person's consent."""
    user = current_user(request)
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imported = transfer.do_import(data["bundle"].strip(), _consent(data), user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Le dossier transféré a été repris."))
            return after_post(request, reverse("web:file", args=[file_id_of(imported)]))
    return render(request, "web/import.html", {"form": form})
