"""The organisation's home: files by stage, deadlines close to the 5-year limit, and what to do next."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from clea.accounts.roles import STAFF, Role
from clea.collective import services as collective_services
from clea.journey.inactivity import IdleFile, idle_files
from clea.kernel.journey import ACTIVE_STATES, FileState, days_left
from clea.web.access import EVERYONE, current_user, role_required, scoped_files
from clea.web.presenting import DEADLINE_WARNING_DAYS, next_step, state_label

LIST_LIMIT = 12


def inactive_for(user: Any, today: date) -> list[IdleFile] | None:
    """Staff see the idle files (a counsellor: their own files), the longest idle first."""
    if user.role not in STAFF:
        return None
    return idle_files(today, counsellor=user if user.role == Role.COUNSELLOR else None, limit=LIST_LIMIT)


@role_required(*EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role == Role.CANDIDATE:
        return redirect("web:portal")
    files = scoped_files(user).select_related("candidate")
    today = timezone.localdate()

    counts = dict(files.order_by().values_list("state").annotate(n=Count("id")))
    stages: list[dict[str, Any]] = []
    for state in FileState:
        in_stage = files.filter(state=state.value).order_by("deadline", "-updated_at")
        stages.append(
            {
                "state": state.value,
                "label": state_label(state.value),
                "count": counts.get(state.value, 0),
                "files": list(in_stage[:LIST_LIMIT]) if counts.get(state.value) else [],
                "active": state in ACTIVE_STATES,
            }
        )

    near = files.filter(
        deadline__isnull=False,
        deadline__lte=today + timedelta(days=DEADLINE_WARNING_DAYS),
        state__in=[FileState.EVALUATED, FileState.TRAINING, FileState.FILE_OPENED],
    ).order_by("deadline")[:LIST_LIMIT]
    deadlines = [{"file": f, "days_left": days_left(f.deadline, today)} for f in near if f.deadline]

    todo_files = files.filter(state__in=[s.value for s in ACTIVE_STATES])
    if user.role == Role.COUNSELLOR:
        todo_files = todo_files.filter(counsellor=user)
    todo = []
    for record in todo_files.order_by("updated_at")[: LIST_LIMIT * 2]:
        step = next_step(record.pk, record.state, user.role)
        if step is not None:
            todo.append({"file": record, "step": step})

    return render(
        request,
        "web/home.html",
        {
            "stages": stages,
            "total": sum(counts.values()),
            "deadlines": deadlines,
            "deadline_days": DEADLINE_WARNING_DAYS,
            "todo": todo,
            "is_staff_role": user.role in STAFF,
            "collective": collective_services.dashboard(today) if user.role in STAFF else None,  # issue 13
            "inactive": inactive_for(user, today),  # issue 13 §7
        },
    )
