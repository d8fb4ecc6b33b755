"""The federation's pages (public schema host): jury members deliberate, staff plan, anyone verifies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clea.accounts.roles import Role
from clea.certification import certificates, disclosure, pdf, sessions
from clea.certification.access import PLANNERS, READERS, SESSION_READERS, member_of, role_of, visible_sessions
from clea.certification.downloads import certificate_pdf_response, get_certificate
from clea.certification.models import Certificate, JurySession, JurySubmission, SubmissionStatus
from clea.certification.web.forms import (
    AssignForm,
    ConveneForm,
    DeliberationForm,
    RevocationForm,
    SessionForm,
    VerifyForm,
    add_domain_error,
)
from clea.kernel.errors import DomainError
from clea.referentials.registry import get_referential
from clea.web.views.common import after_post

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def federation_role(*roles: str) -> Callable[[View[P]], View[P]]:
    """Anonymous people go to the federation's login page; a wrong role is a 403."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not role_of(request.user):
                return redirect_to_login(request.get_full_path(), reverse("federation:login"))
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View[P], wrapper)

    return decorate


def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.JURY_MEMBER:
        return redirect("federation:jury-sessions")
    if role in READERS:
        return redirect("federation:staff-sessions")
    return render(request, "certification/home.html", {"form": VerifyForm()})


# --- public verification ----------------------------------------------------------------------------


def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("federation:verify", number=form.cleaned_data["numero"].strip().upper())
    return render(request, "certification/home.html", {"form": form})


def _too_many(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        "Trop de vérifications depuis votre adresse : réessayez dans quelques minutes.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public verification: full name with the birth date (``naissance``) or the printed ``code``, else initials;
    look-ups counted per client (:mod:`clea.certification.disclosure`)."""
    allowed, retry_after = disclosure.allow_lookup(request)
    if not allowed:
        return _too_many(retry_after)
    result = certificates.verify(number)
    status = 200 if result.found else 404
    code = request.GET.get("code", "").strip()
    birth = request.GET.get("naissance", "").strip()
    disclose = result.certificate is not None and disclosure.may_disclose(
        result.certificate, code=code, birth_date=birth
    )
    by_code = result.certificate is not None and disclosure.code_matches(result.certificate.number, code)
    context = {
        "v": result.as_dict(disclose=disclose),
        "result": result,
        "code": code if by_code else "",
        "asked": bool(code or birth),
    }
    return render(request, "certification/verify.html", context, status=status)


def verify_pdf(request: HttpRequest, number: str) -> HttpResponse:
    allowed, retry_after = disclosure.allow_lookup(request)
    if not allowed:
        return _too_many(retry_after)
    certificate = get_certificate(number.strip().upper())
    if not disclosure.code_matches(certificate.number, request.GET.get("code", "")):
        return HttpResponse("Code de vérification requis.", status=403, content_type="text/plain; charset=utf-8")
    return certificate_pdf_response(certificate)


# --- jury members -----------------------------------------------------------------------------------


@federation_role(Role.JURY_MEMBER)
def jury_sessions(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    mine = list(sessions.sessions_of_member(member).annotate(n=Count("submissions"))) if member else []
    return render(request, "certification/jury/sessions.html", {"member": member, "sessions": mine})


def _session_for(request: HttpRequest, session_id: int) -> JurySession:
    session = visible_sessions(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def _file_views(files: list[JurySubmission]) -> list[dict[str, Any]]:
    """What a jury member sees of each file: the snapshot (name, mastery per domain, organisations)."""
    views = []
    for submission in files:
        snapshot = submission.snapshot
        mastered = set(snapshot.get("domains_mastered", ()))
        try:
            titles = {d.code: d.title for d in get_referential(submission.referential_id).domains}
        except Exception:  # an unknown referential still shows the codes
            titles = {}
        views.append(
            {
                "submission": submission,
                "domains": [
                    {"code": code, "title": titles.get(code, ""), "mastered": code in mastered}
                    for code in snapshot.get("domains_total", ())
                ],
                "evaluating": snapshot.get("evaluating_organisations", []),
                "training": snapshot.get("training_organisations", []),
                "sections": snapshot.get("branch_sections", []),  # the accredited branches' sections
            }
        )
    return views


def _labels(schema_names: list[str]) -> dict[str, str]:
    return sessions.schema_labels(schema_names)


@federation_role(*SESSION_READERS)
def jury_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    member = member_of(request.user)
    files = list(session.submissions.select_related("organisation").order_by("submitted_at", "id"))
    decided = {d.submission_id: d for d in session.decisions.all()}
    open_files = [f for f in files if f.pk not in decided and f.is_open]
    form = DeliberationForm(
        request.POST or None,
        convened=session.convened.all(),
        files=open_files,
        initial={"present": [member.pk] if member else []},
    )
    can_deliberate = (
        member is not None and session.status != "closed" and not session.approvals.exists() and bool(open_files)
    )
    if request.method == "POST":
        if not can_deliberate or member is None:
            raise PermissionDenied
        if form.is_valid():
            decisions = [
                sessions.DecisionInput(s.pk, form.cleaned_data[f"outcome_{s.pk}"], form.cleaned_data[f"reasons_{s.pk}"])
                for s in open_files
                if form.cleaned_data.get(f"outcome_{s.pk}")
            ]
            if not decisions:
                form.add_error(None, _("Choisissez une décision pour au moins un dossier."))
            else:
                try:
                    sessions.deliberate(session, [m.pk for m in form.cleaned_data["present"]], decisions, member)
                except DomainError as exc:
                    _show_deliberation_error(form, exc, decisions)
                else:
                    done = _("Délibération enregistrée : les décisions sont transmises aux organismes.")
                    messages.success(request, done)
                    return after_post(request, reverse("federation:jury-session", args=[session.pk]))
    minutes = sessions.minutes(session)
    evaluating = sorted({o for f in files for o in f.snapshot.get("evaluating_organisations", [])})
    context = {
        "session": session,
        "member": member,
        "files": _file_views(files),
        "labels": _labels(evaluating),
        "decided": decided,
        "form": form,
        "can_deliberate": can_deliberate,
        "minutes": minutes,
        "can_approve": member is not None
        and bool(minutes.lines)
        and any(m.pk == member.pk for m in minutes.pending_approval),
    }
    return render(request, "certification/jury/session.html", context)


def _show_deliberation_error(form: DeliberationForm, exc: DomainError, decisions: list[sessions.DecisionInput]) -> None:
    """A refusal without reasons is shown next to that file's reasons; R11 next to the members present."""
    unexplained = [d for d in decisions if d.outcome == "refused" and not d.reasons.strip()]
    if exc.code == "reasons_required" and unexplained:
        for decision in unexplained:
            form.add_error(f"reasons_{decision.submission_id}", exc.message_fr)
        return
    add_domain_error(form, exc, "present" if exc.rule == "R11" else None)


@federation_role(Role.JURY_MEMBER)
def approve_minutes(request: HttpRequest, session_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("federation:jury-session", session_id=session_id)
    session = _session_for(request, session_id)
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied
    try:
        session = sessions.approve_minutes(session, member)
    except DomainError as exc:
        messages.error(request, exc.message_fr)
    else:
        if session.status == "closed":
            messages.success(request, _("Procès-verbal approuvé par tous les membres présents : il est définitif."))
        else:
            messages.success(request, _("Votre approbation du procès-verbal est enregistrée."))
    return after_post(request, reverse("federation:jury-session", args=[session_id]))


@federation_role(*SESSION_READERS)
def minutes_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    response = HttpResponse(pdf.minutes_pdf(sessions.minutes(session)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proces-verbal-session-{session.pk}.pdf"'
    return response


# --- federation staff ---------------------------------------------------------------------------------


@federation_role(*READERS)
def staff_sessions(request: HttpRequest) -> HttpResponse:
    can_plan = role_of(request.user) in PLANNERS
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        if form.is_valid():
            session = form.save()
            messages.success(request, _("Session planifiée : convoquez ses membres et inscrivez des dossiers."))
            return after_post(request, reverse("federation:staff-session", args=[session.pk]))
    context = {
        "sessions": JurySession.objects.select_related("jury").annotate(n=Count("submissions"))[:100],
        "form": form,
        "can_plan": can_plan,
        "waiting": sessions.assignable_submissions().count(),
    }
    return render(request, "certification/staff/sessions.html", context)


@federation_role(*READERS)
def staff_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(JurySession.objects.select_related("jury"), pk=session_id)
    can_plan = role_of(request.user) in PLANNERS and session.status != "closed"
    pool = session.jury.members.filter(active=True)
    convene_form = ConveneForm(
        request.POST if request.POST.get("form") == "convene" else None,
        members=pool,
        initial={"members": list(session.convened.values_list("pk", flat=True))},
        prefix="convene",
    )
    assign_form = AssignForm(
        request.POST if request.POST.get("form") == "assign" else None,
        submissions=sessions.assignable_submissions().exclude(session=session),
        prefix="assign",
    )
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        done = _plan(request, session, convene_form, assign_form)
        if done:
            return after_post(request, reverse("federation:staff-session", args=[session.pk]))
    files = list(session.submissions.select_related("organisation").order_by("submitted_at", "id"))
    context = {
        "session": session,
        "convene_form": convene_form,
        "assign_form": assign_form,
        "can_plan": can_plan,
        "files": files,
        "minutes": sessions.minutes(session),
    }
    return render(request, "certification/staff/session.html", context)


def _plan(request: HttpRequest, session: JurySession, convene_form: ConveneForm, assign_form: AssignForm) -> bool:
    which = request.POST.get("form")
    if which == "unassign":
        try:
            sessions.unassign(session, [int(request.POST.get("submission", "0") or 0)])
        except DomainError as exc:
            messages.error(request, exc.message_fr)
        return True
    form, field = (convene_form, "members") if which == "convene" else (assign_form, "submissions")
    if not form.is_valid():
        return False
    try:
        if which == "convene":
            sessions.convene(session, [m.pk for m in form.cleaned_data["members"]])
            messages.success(request, _("Membres convoqués."))
        else:
            sessions.assign(session, [s.pk for s in form.cleaned_data["submissions"]])
            messages.success(request, _("Dossiers inscrits à la session."))
    except DomainError as exc:
        add_domain_error(form, exc, field)
        return False
    return True


@federation_role(*READERS)
def staff_submissions(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    submissions = JurySubmission.objects.select_related("organisation", "session__jury").order_by("-submitted_at")
    if status in SubmissionStatus.values:
        submissions = submissions.filter(status=status)
    counts = dict(JurySubmission.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return render(
        request,
        "certification/staff/submissions.html",
        {
            "submissions": submissions[:200],
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in SubmissionStatus.choices],
        },
    )


@federation_role(*READERS)
def staff_certificates(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = Certificate.objects.select_related("organisation").order_by("-issued_at")
    if query:
        found = found.filter(Q(number__icontains=query) | Q(candidate_name__icontains=query))
    return render(
        request,
        "certification/staff/certificates.html",
        {"certificates": found[:200], "q": query, "can_revoke": role_of(request.user) in PLANNERS},
    )


@federation_role(*READERS)
def staff_certificate(request: HttpRequest, number: str) -> HttpResponse:
    certificate = get_certificate(number)
    can_revoke = role_of(request.user) in PLANNERS and certificate.revoked_at is None
    form = RevocationForm(request.POST or None)
    if request.method == "POST":
        if not can_revoke:
            raise PermissionDenied
        if form.is_valid():
            try:
                certificates.revoke(certificate.number, form.cleaned_data["reason"], actor=request.user)
            except DomainError as exc:
                add_domain_error(form, exc, "reason")
            else:
                messages.success(request, _("Certificat révoqué : la liste de statut est à jour."))
                return after_post(request, reverse("federation:staff-certificate", args=[certificate.number]))
    return render(
        request,
        "certification/staff/certificate.html",
        {
            "certificate": certificate,
            "form": form,
            "can_revoke": can_revoke,
            "v": certificates.verify(number).as_dict(),
        },
    )
