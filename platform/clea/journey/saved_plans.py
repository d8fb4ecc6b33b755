"""The evaluation plan kept on the file (R3): computed by the chosen branch, saved, printed, offered as sittings.

``do_save_plan`` asks the branch for the plan (as the plan page does), stores what it answered, and the grid
then offers the plan's days as the days of its sittings. ``plan_pdf`` prints it in French.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.db import transaction
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from clea import pdf
from clea.accounts.models import User
from clea.journey import planning, services
from clea.journey.branches import pinned_branches
from clea.journey.models import SavedPlanRecord
from clea.kernel.errors import DomainError
from clea.kernel.journey import FileState


def current_plan(file_id: int) -> SavedPlanRecord | None:
    return SavedPlanRecord.objects.filter(file_id=file_id).order_by("-saved_at", "-id").first()


def do_save_plan(file_id: int, request: planning.PlanRequest, user: User) -> SavedPlanRecord:
    """Compute the branch's plan for this file and keep it (the latest saved plan is the one in force)."""
    with transaction.atomic(), pinned_branches() as caller:
        loaded = services.lock_file(file_id, None)
        if loaded.file.state not in (FileState.REFERRED, FileState.FILE_OPENED):
            raise DomainError(
                "state_conflict",
                "R3",
                "Le plan porte sur l'évaluation préalable : le dossier est à l'étape "
                f"« {loaded.file.state.label_fr} ».",
                f"The plan is for the initial evaluation; the file is {loaded.file.state.value}.",
            )
        branch = planning.default_branch(caller, request.branch)
        request = planning.PlanRequest(
            branch, request.start, request.max_minutes_per_day, request.on_site_possible, request.adjustments
        )
        found = planning.evaluation_plan(str(loaded.record.pk), loaded.referential, request, caller)
        shown = planning.present_plan(found, loaded.referential, planning.branch_names(caller))
        return SavedPlanRecord.objects.create(file=loaded.record, branch=branch, plan=shown, saved_by=user)


def planned_days(file_id: int) -> list[date]:
    plan = current_plan(file_id)
    return [date.fromisoformat(day) for day in plan.days] if plan is not None else []


def plan_pdf(record: SavedPlanRecord, candidate_name: str, organisation: str) -> bytes:
    """The saved plan, printable (A4, French): each day, its duration and its sub-domains with modalities."""
    plan: dict[str, Any] = record.plan
    story: list[Flowable] = [
        pdf.paragraph("Plan d'évaluation préalable CléA", "Title"),
        pdf.paragraph(f"Candidat : <b>{escape(candidate_name)}</b>"),
        pdf.paragraph(f"Organisme évaluateur : {escape(organisation)}"),
        pdf.paragraph(f"Branche : {escape(str(plan.get('branch_name', record.branch)))}"),
        pdf.paragraph(
            f"{len(plan.get('days', []))} journée(s) · {plan.get('subdomains_planned', 0)} sous-domaines · "
            f"{plan.get('total_minutes', 0)} min au total"
        ),
        Spacer(1, 0.4 * cm),
    ]
    for number, day in enumerate(plan.get("days", []), start=1):
        on = date.fromisoformat(str(day["on"]))
        story.append(pdf.paragraph(f"Journée {number} — {on:%d/%m/%Y} ({day['minutes']} min)", "Heading3"))
        rows = [["Sous-domaine", "Modalités"]]
        for sub in day.get("subdomains", []):
            methods = ", ".join(str(m.get("method_label", "")) for m in sub.get("modalities", []))
            rows.append([pdf.paragraph(escape(f"{sub['code']} {sub['title']}")), pdf.paragraph(escape(methods))])
        story.append(pdf.grid(rows, [8 * cm, 9 * cm]))
    notes = plan.get("notes", [])
    if notes:
        story += [
            Spacer(1, 0.3 * cm),
            pdf.paragraph("Remarques de la branche", "Heading3"),
            pdf.bullets([escape(str(n)) for n in notes]),
        ]
    saved = record.saved_at
    story.append(Spacer(1, 0.4 * cm))
    story.append(pdf.paragraph(f"Plan enregistré le {saved:%d/%m/%Y}."))
    return pdf.render(story, title="Plan d'évaluation préalable", author=organisation)
