"""The evaluation grid (R3 initial, R9 final), evidence per criterion, and evidence downloads."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clea.accounts.roles import STAFF
from clea.audit.access import record_file_access
from clea.journey import accommodations, saved_plans, services, sittings
from clea.journey.branches import BranchRuleViolation, tenant_branches
from clea.journey.evidence import add_evidence
from clea.journey.models import Evidence
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState
from clea.kernel.mastery import EvaluationKind
from clea.web import branching
from clea.web.access import EVERYONE, current_user, error_message, load_visible, role_required, scoped_files
from clea.web.forms import EvidenceForm
from clea.web.presenting import GridCriterion, GridDomain, grid_rows, state_label
from clea.web.views.common import after_post, is_htmx

DAY_FIELDS = ("day1", "day2", "day3")


def _kind_and_scope(loaded: services.Loaded) -> tuple[EvaluationKind | None, frozenset[str] | None]:
    """Which evaluation the file awaits: every criterion (initial), or only the path's objectives (final, R9)."""
    state = loaded.record.state
    if state == FileState.FILE_OPENED:
        return EvaluationKind.INITIAL, None
    path = loaded.file.current_path
    if state == FileState.TRAINING and path is not None:
        return EvaluationKind.FINAL, path.objective_criteria
    return None, None


def _parse_days(data: Any) -> tuple[list[date], str]:
    days: list[date] = []
    for name in DAY_FIELDS:
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        try:
            days.append(date.fromisoformat(raw))
        except ValueError:
            return [], _("Date invalide : utilisez le format AAAA-MM-JJ.")
    if not days:
        return [], _("Indiquez au moins une journée d'évaluation.")
    return sorted(set(days)), ""


def _read_rows(rows: list[GridDomain], data: Any) -> tuple[list[services.ResultInput], int]:
    """Fill the grid with what was posted; returns the results and how many criteria are left blank."""
    results: list[services.ResultInput] = []
    blank = 0
    for domain in rows:
        for sub in domain.subdomains:
            for criterion in sub.criteria:
                value = data.get(f"c-{criterion.code}")
                criterion.comment = (data.get(f"m-{criterion.code}") or "").strip()[:2000]
                criterion.chosen = set(data.getlist(f"e-{criterion.code}"))
                if value not in ("1", "0"):
                    criterion.error = _("Indiquez « acquis » ou « à acquérir ».")
                    blank += 1
                    continue
                criterion.acquired = value == "1"
                evidence = tuple(str(item.uid) for item in criterion.evidence if str(item.uid) in criterion.chosen)
                results.append(services.ResultInput(criterion.code, criterion.acquired, criterion.comment, evidence))
    return results, blank


def _prefill(rows: list[GridDomain], opened: dict[str, Any]) -> None:
    """Show what the open evaluation already holds (saved on the server, sitting by sitting)."""
    for domain in rows:
        for sub in domain.subdomains:
            for criterion in sub.criteria:
                saved = opened["results"].get(criterion.code)
                if saved is not None:
                    criterion.acquired = saved["acquired"]
                    criterion.comment = saved["comment"]
                    criterion.chosen = set(saved["evidence"])
                    criterion.saved = True


def _changed_entries(rows: list[GridDomain], data: Any, opened: dict[str, Any]) -> list[sittings.EntryInput]:
    """What this sitting adds or corrects: posted results that differ from the saved ones."""
    found: list[sittings.EntryInput] = []
    for domain in rows:
        for sub in domain.subdomains:
            for criterion in sub.criteria:
                value = data.get(f"c-{criterion.code}")
                criterion.comment = (data.get(f"m-{criterion.code}") or "").strip()[:2000]
                criterion.chosen = set(data.getlist(f"e-{criterion.code}"))
                if value not in ("1", "0"):
                    continue
                criterion.acquired = value == "1"
                evidence = tuple(
                    sorted(str(item.uid) for item in criterion.evidence if str(item.uid) in criterion.chosen)
                )
                saved = opened["results"].get(criterion.code)
                if saved is not None and (saved["acquired"], saved["comment"], tuple(sorted(saved["evidence"]))) == (
                    criterion.acquired,
                    criterion.comment,
                    evidence,
                ):
                    continue
                found.append(sittings.EntryInput(criterion.code, criterion.acquired, criterion.comment, evidence))
    return found


def _sitting_post(
    request: HttpRequest, file_id: int, rows: list[GridDomain], opened: dict[str, Any], modality: str
) -> tuple[str, list[str]]:
    """Save the sitting (and close when asked); returns the redirect URL, or the French errors."""
    user = current_user(request)
    action = request.POST.get("action", "")
    raw_day = (request.POST.get("sitting_day") or "").strip()
    entries = _changed_entries(rows, request.POST, opened)
    errors: list[str] = []
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        if entries or action == "sitting":
            return "", [_("Journée de la séance invalide : utilisez le format AAAA-MM-JJ.")]
        day = timezone.localdate()
    version = int(request.POST.get("version", "0") or 0) or None
    saved_now = False
    if entries:
        try:
            sittings.do_record_sitting(file_id, version, day, user, entries, user, modality)
        except DomainError as exc:
            return "", [error_message(exc)]
        saved_now = True
        version = None  # this request just moved the version on
    elif action == "sitting":
        return "", [_("Aucun critère nouveau ou modifié : rien à enregistrer dans cette séance.")]
    if action == "close":
        try:
            sittings.do_close_evaluation(file_id, version, user)
        except DomainError as exc:
            if saved_now:
                messages.success(request, _("Séance enregistrée."))
            errors.append(error_message(exc))
            return "", errors
        messages.success(request, _("Évaluation clôturée : les acquis sont calculés."))
        return reverse("web:mastery", args=[file_id]), []
    messages.success(
        request, _("Séance du %(day)s enregistrée (%(n)s critère(s)).") % {"day": f"{day:%d/%m/%Y}", "n": len(entries)}
    )
    return reverse("web:grid", args=[file_id]), []


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, file_id: int) -> HttpResponse:
    user = current_user(request)
    loaded = load_visible(user, file_id)
    kind, scope = _kind_and_scope(loaded)
    if kind is None:
        messages.warning(
            request,
            _("Aucune évaluation n'est attendue à l'étape « %(state)s ».")
            % {"state": state_label(loaded.record.state)},
        )
        return redirect("web:file", file_id)
    standing = services.mastery_of(loaded).acquired_criteria if kind is EvaluationKind.FINAL else frozenset()
    evidence = list(loaded.record.evidence.filter(review_status="accepted"))  # issue 13 §4: only those are cited
    rows = grid_rows(loaded.referential, scope, evidence, standing)
    opened = sittings.present_open(sittings.current_open(file_id), sittings.scope_for(loaded))
    _prefill(rows, opened)
    branches = branching.branch_modalities(tenant_branches(), loaded.referential)
    for domain in rows:
        for sub in domain.subdomains:
            sub.branches = branches.blocks(sub.code)
    errors: list[str] = []
    modality_error = "" if branches.options else str(branching.NO_ACCREDITATION)
    loose_issues: list[branching.BranchIssue] = []
    wanted = request.GET.get("branche", "")
    values: dict[str, str] = {
        "day1": timezone.localdate().isoformat(),
        "modality": opened["modality"] or (wanted if wanted in branches.codes else branches.default()),
        "sitting_day": timezone.localdate().isoformat(),
    }
    chosen_keys: list[str] = []
    if request.method == "POST" and request.POST.get("action") in ("sitting", "close"):
        values = {name: request.POST.get(name, "") for name in (*DAY_FIELDS, "modality", "sitting_day")}
        url, errors = _sitting_post(request, file_id, rows, opened, values["modality"].strip()[:200])
        if url:
            return after_post(request, url)
    elif request.method == "POST":
        values = {name: request.POST.get(name, "") for name in (*DAY_FIELDS, "modality")}
        if kind is EvaluationKind.FINAL:  # the final evaluation may name the modalities used, key by key
            chosen_keys = [key[:200] for key in request.POST.getlist("modality_key")][:100]
        modality, keys_error = branching.chosen_modality(values["modality"].strip()[:200], chosen_keys)
        days, days_error = _parse_days(request.POST)
        results, blank = _read_rows(rows, request.POST)
        if keys_error:
            modality_error = keys_error
        if days_error:
            errors.append(days_error)
        if blank:
            errors.append(
                _("%(n)s critère(s) ne sont pas renseignés : chaque critère est « acquis » ou « à acquérir ».")
                % {"n": blank}
            )
        if not errors and not keys_error:
            try:
                version = int(request.POST.get("version", "0")) or None
                services.do_record_evaluation(file_id, version, kind, user, days, results, user, modality)
            except BranchRuleViolation as exc:
                errors.append(error_message(exc))
                placed, loose_issues = branching.issues_by_subdomain(exc)
                for domain in rows:
                    for sub in domain.subdomains:
                        sub.issues = placed.get(sub.code, [])
            except DomainError as exc:
                if exc.code in branching.MODALITY_ERRORS:
                    modality_error = error_message(exc)
                else:
                    errors.append(error_message(exc))
            else:
                messages.success(request, _("Évaluation enregistrée."))
                return after_post(request, reverse("web:mastery", args=[file_id]) + f"?clear={kind.value}")
    count = sum(d.count for d in rows)
    return render(
        request,
        "web/grid.html",
        {
            "record": loaded.record,
            "candidate": loaded.record.candidate,
            "kind": kind.value,
            "rows": rows,
            "count": count,
            "errors": errors,
            "values": values,
            "evidence_form": EvidenceForm(),
            "branch_options": branches.options,
            "modality_error": modality_error,
            "loose_issues": loose_issues,
            "choose_keys": kind is EvaluationKind.FINAL,
            "chosen_keys": set(chosen_keys),
            "can_save": bool(branches.options),
            "posted": request.method == "POST",
            "opened": opened,
            "accommodations": accommodations.labels_of(file_id),
            "planned_days": saved_plans.planned_days(file_id) if kind is EvaluationKind.INITIAL else [],
            "left": opened["total"] - opened["entered"],
        },
    )


@role_required(*STAFF)
@require_POST
def evidence_upload(request: HttpRequest, file_id: int) -> HttpResponse:
    """One piece of the dossier de preuves, checked by its content (``evidence.add_evidence``)."""
    user = current_user(request)
    loaded = load_visible(user, file_id)
    form = EvidenceForm(request.POST, request.FILES)
    criterion = request.POST.get("criterion", "")
    if criterion and criterion not in loaded.referential.criterion_codes:
        raise Http404
    error = ""
    if form.is_valid():
        try:
            add_evidence(loaded.record, form.cleaned_data["content"], form.cleaned_data["title"], criterion, user)
        except DomainError as exc:
            error = error_message(exc)
    else:
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Preuve ajoutée."))
        return redirect(reverse("web:grid", args=[file_id]) + (f"#critere-{criterion}" if criterion else ""))
    items = list(loaded.record.evidence.filter(criterion=criterion, review_status="accepted"))
    row = GridCriterion(criterion, "", evidence=items, chosen={str(item.uid) for item in items})
    return render(
        request, "web/partials/evidence_list.html", {"c": row, "record": loaded.record, "upload_error": error}
    )


@role_required(*EVERYONE)
def evidence_download(request: HttpRequest, uid: UUID) -> FileResponse:
    """A piece of evidence, for someone allowed to see its file; anything else is a 404."""
    user = current_user(request)
    evidence = get_object_or_404(Evidence.objects.select_related("file"), uid=uid, file__in=scoped_files(user))
    record_file_access(
        user, evidence.file_id, evidence.file.counsellor_id, "web.evidence_download", object_ref=f"evidence:{uid}"
    )
    return FileResponse(
        evidence.content.open("rb"), content_type=evidence.content_type, as_attachment=True, filename=evidence.title
    )
