"""The training path builder (R6–R8) and the trainer's view with progress notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clea.accounts.models import User
from clea.accounts.roles import STAFF, TRAINERS
from clea.journey import notes, repository, services
from clea.journey.branches import tenant_branches
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState, Objective, TrainingSession, objectives_from_gaps
from clea.web.access import (
    current_user,
    error_message,
    load_visible,
    role_required,
    scoped_files,
)
from clea.web.branching import training_offers
from clea.web.forms import NoteForm, PathForm, add_domain_error
from clea.web.presenting import state_label
from clea.web.views.common import after_post, is_htmx


def eligible_trainers(loaded: services.Loaded) -> QuerySet[User]:
    """People of this organisation who may train the candidate: never one of its evaluators (R7).

    The kernel refuses an evaluator anyway; the list only spares the choice of someone it would refuse.
    """
    evaluator_ids = [repository.user_id_from_ref(ref) for ref in loaded.file.evaluators]
    return (
        User.objects.filter(is_active=True, role__in=TRAINERS)
        .exclude(pk__in=[pk for pk in evaluator_ids if pk is not None])
        .order_by("role", "last_name", "username")
    )


def _session_rows(sessions: tuple[TrainingSession, ...], titles: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "subdomains": ",".join(s.subdomains),
            "titles": [f"{code} {titles.get(code, '')}" for code in s.subdomains],
            "label": s.label,
            "starts_on": s.starts_on.isoformat(),
            "ends_on": s.ends_on.isoformat(),
        }
        for index, s in enumerate(sessions)
    ]


def _posted_sessions(data: Any, count: int) -> tuple[tuple[TrainingSession, ...], list[dict[str, Any]], str]:
    sessions: list[TrainingSession] = []
    rows: list[dict[str, Any]] = []
    error = ""
    for index in range(count):
        codes = tuple(c for c in (data.get(f"s-{index}-subdomains") or "").split(",") if c)
        start, end = data.get(f"s-{index}-start", ""), data.get(f"s-{index}-end", "")
        label = (data.get(f"s-{index}-label") or "").strip()[:200]
        rows.append({"index": index, "subdomains": ",".join(codes), "label": label, "starts_on": start, "ends_on": end})
        try:
            sessions.append(TrainingSession(date.fromisoformat(start), date.fromisoformat(end), codes, label))
        except ValueError:
            rows[-1]["error"] = True
            error = _("Chaque séance a une date de début et une date de fin (AAAA-MM-JJ).")
    return tuple(sessions), rows, error


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def path_builder(request: HttpRequest, file_id: int) -> HttpResponse:
    """Propose the path (objectives = the gaps, calendar pre-filled) or adjust its trainer and calendar."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    state = loaded.record.state
    current = loaded.file.current_path
    if state == FileState.EVALUATED:
        objectives: tuple[Objective, ...] = objectives_from_gaps(services.mastery_of(loaded))
        sessions = services.suggested_sessions(loaded)
    elif state == FileState.TRAINING and current is not None:
        objectives, sessions = current.objectives, current.sessions
    else:
        messages.warning(
            request,
            _("Pas de parcours à proposer à l'étape « %(state)s ».") % {"state": state_label(state)},
        )
        return redirect("web:file", file_id)
    referential = loaded.referential
    titles = {sub.code: sub.title for _d, sub in referential.iter_subdomains()}
    offers = training_offers(tenant_branches(), referential, objectives)  # the branches' suggestions (R6)
    trainers = eligible_trainers(loaded)
    current_trainer = repository.user_id_from_ref(current.trainer) if current else None
    org_name = str(getattr(getattr(request, "tenant", None), "name", ""))
    form = PathForm(
        request.POST or None,
        trainers=trainers,
        initial={"version": loaded.record.version, "training_organisation": org_name, "trainer": current_trainer},
    )
    if current is not None:
        form.fields["training_organisation"].disabled = True
        form.fields["training_organisation"].initial = current.training_organisation
    rows = _session_rows(sessions, titles)
    sessions_error = ""
    if request.method == "POST":
        posted, rows, sessions_error = _posted_sessions(request.POST, len(sessions))
        for row in rows:
            row["titles"] = [f"{code} {titles.get(code, '')}" for code in row["subdomains"].split(",") if code]
        if form.is_valid() and not sessions_error:
            data = form.cleaned_data
            try:
                if current is None:
                    services.do_propose_path(
                        file_id, data["version"], data["trainer"], data["training_organisation"], posted, user
                    )
                else:
                    services.do_adjust_path(file_id, data["version"], data["trainer"], posted, user)
            except DomainError as exc:
                if exc.code.startswith("calendar_"):
                    sessions_error = error_message(exc)
                else:
                    add_domain_error(form, exc)
            else:
                messages.success(request, _("Parcours de formation enregistré."))
                return after_post(request, reverse("web:file", args=[file_id]))
    return render(
        request,
        "web/path.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "form": form,
            "objectives": [
                {
                    "code": o.subdomain,
                    "title": titles.get(o.subdomain, ""),
                    "criteria": [referential.criterion(c) for c in o.criteria],
                    "offers": offers.get(o.subdomain, []),
                }
                for o in objectives
            ],
            "rows": rows,
            "sessions_error": sessions_error,
            "adjusting": current is not None,
            "deadline": loaded.file.deadline,
        },
    )


def _trainer_files(user: User) -> list[dict[str, Any]]:
    records = (
        scoped_files(user)
        .filter(paths__trainer=user)
        .distinct()
        .select_related("candidate")
        .order_by("deadline", "-updated_at")
    )
    files = []
    for record in records:
        loaded = services.load(record.pk)
        path = notes.current_path(record)
        referential = loaded.referential
        titles = {sub.code: sub.title for _d, sub in referential.iter_subdomains()}
        files.append(
            {
                "record": record,
                "state_label": state_label(record.state),
                "path": loaded.file.current_path,
                "titles": titles,
                "notes": list(notes.path_notes(path)),
                "can_note": notes.notes_open(record, path),
                "note_form": NoteForm(
                    prefix=f"n{record.pk}",
                    subdomains=[
                        (o["subdomain"], f"{o['subdomain']} {titles.get(o['subdomain'], '')}") for o in path.objectives
                    ]
                    if path
                    else [],
                ),
            }
        )
    return files


@role_required(*TRAINERS)
def trainer_home(request: HttpRequest) -> HttpResponse:
    """The trainer's files: objectives, calendar and progress notes."""
    return render(request, "web/trainer.html", {"files": _trainer_files(current_user(request))})


@role_required(*notes.NOTE_TAKERS)
@require_POST
def add_note(request: HttpRequest, file_id: int) -> HttpResponse:
    """A progress note on the current path (the rule is :func:`clea.journey.notes.add_progress_note`'s)."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    path = notes.current_path(loaded.record)
    subdomains = [(o["subdomain"], o["subdomain"]) for o in path.objectives] if path else []
    form = NoteForm(request.POST, prefix=f"n{file_id}", subdomains=subdomains)
    if form.is_valid():
        try:
            notes.add_progress_note(loaded.record.pk, user, form.cleaned_data["text"], form.cleaned_data["subdomain"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not is_htmx(request):
                messages.success(request, _("Note de progression enregistrée."))
                return redirect(reverse("web:trainer") + f"#dossier-{file_id}")
            form = NoteForm(prefix=f"n{file_id}", subdomains=subdomains)
    if not is_htmx(request):
        for error in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, str(error))
        return redirect(reverse("web:trainer") + f"#dossier-{file_id}")
    return render(
        request,
        "web/partials/notes.html",
        {
            "notes": list(notes.path_notes(path)),
            "record": loaded.record,
            "note_form": form,
            "can_note": notes.notes_open(loaded.record, path),
        },
    )
