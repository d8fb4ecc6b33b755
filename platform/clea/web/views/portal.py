"""The candidate's portal: their own file, portfolio of acquired competences, evidence and documents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clea.accounts.roles import Role
from clea.certification.links import certificate_number_of, verification_url
from clea.journey import services
from clea.web.access import audited_load, current_user, role_required, scoped_files
from clea.web.presenting import candidate_next_step, mastery_view, state_label


@role_required(Role.CANDIDATE)
def portal(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    files: list[dict[str, Any]] = []
    for pk in scoped_files(user).order_by("-updated_at").values_list("pk", flat=True):
        loaded = audited_load(user, pk, "web.portal")
        files.append(
            {
                "record": loaded.record,
                "state_label": state_label(loaded.record.state),
                "next": candidate_next_step(loaded.record.state),
                "m": mastery_view(loaded.referential, services.mastery_of(loaded)),
                "path": loaded.file.current_path,
                "evidence": list(loaded.record.evidence.all()),
                "deadline": loaded.file.deadline,
                "certificate_number": certificate_number_of(loaded.file.decisions),
                "convocations": list(  # issue 13: collective sessions the person is convened to
                    loaded.record.enrolments.select_related("session").order_by("-session__on")[:10]
                ),
            }
        )
    for f in files:
        if f["certificate_number"]:
            f["verification_url"] = verification_url(f["certificate_number"], request)
    return render(request, "web/portal.html", {"files": files})
