"""Collective sessions in the web pages: schedule, convene three people, attendance with one absent (R3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at

from clea.collective.models import CollectiveSession, Enrolment
from clea.journey.models import CriterionResultRecord

pytestmark = pytest.mark.db

Clients = Callable[..., Any]
TODAY = date.today()


def text(response: Any) -> str:
    return str(response.content.decode())


def _form(evaluator: Any, on: date = TODAY, **change: Any) -> dict[str, Any]:
    return {
        "on": str(on),
        "starts_at": "09:00",
        "ends_at": "12:00",
        "place": "GRETA, salle 2",
        "capacity": "3",
        "evaluators": [str(evaluator.pk)],
        "contact": "Accueil GRETA",
        **change,
    }


def test_a_session_of_three_with_one_absent(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    schema = org_a.schema_name
    response = client.post("/seances-collectives/", _form(client.user))
    assert response.status_code == 302, text(response)
    with schema_context(schema):
        session = CollectiveSession.objects.get()
    sheet = f"/seances-collectives/{session.pk}/"
    files = [file_at(schema, "file_opened", client.user, name=("Léa", n)) for n in ("Alba", "Brun", "Colin")]
    for file_id in files:
        assert client.post(sheet, {"action": "enrol", "file_id": file_id}).status_code == 302
    page = text(client.get(sheet))
    assert page.count("data-enrolment=") == 3 and "Convoquer une personne" not in page  # full
    for file_id, value in zip(files, ("present", "present", "absent"), strict=True):
        assert client.post(sheet, {"action": "attendance", "file_id": file_id, "attendance": value}).status_code == 302
    later = client.post("/seances-collectives/", _form(client.user, TODAY + timedelta(days=7)))
    assert later.status_code == 302
    page = text(client.get(sheet))
    assert "absent" in page and "Autres séances à proposer" in page
    with schema_context(schema):
        assert list(Enrolment.objects.filter(session=session).order_by("id").values_list("attendance", flat=True)) == [
            "present",
            "present",
            "absent",
        ]
        assert not CriterionResultRecord.objects.filter(evaluation__file_id=files[2]).exists()
    pdf = client.get(f"{sheet}convocations/{files[0]}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with schema_context(schema):
        from clea.journey.models import CandidateFileRecord

        person = make_user(schema, "candidate")
        candidate = CandidateFileRecord.objects.get(pk=files[0]).candidate
        candidate.user = person
        candidate.save(update_fields=["user"])
        mine = Enrolment.objects.get(session=session, file_id=files[0]).pk
        other = Enrolment.objects.get(session=session, file_id=files[1]).pk
    portal = web_client_for(org_a, user=person)
    assert "Mes convocations" in text(portal.get("/mon-dossier/"))
    assert portal.get(f"/seances-collectives/mes-convocations/{mine}/pdf/").content.startswith(b"%PDF")
    assert portal.get(f"/seances-collectives/mes-convocations/{other}/pdf/").status_code == 404  # not theirs
    home = text(client.get("/"))
    assert "Séances collectives" in home and f'data-session="{session.pk}"' in home  # today's, with attendance
    assert "<td>2</td><td>1</td><td>0</td>" in home


def test_bad_form_is_refused_in_french_and_nothing_stored(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    page = text(client.post("/seances-collectives/", _form(client.user, ends_at="08:00")))
    assert "L'heure de fin de la séance doit suivre" in page or "L&#x27;heure de fin" in page
    page = text(client.post("/seances-collectives/", _form(client.user, capacity="0")))
    assert 'role="alert"' in page
    with schema_context(org_a.schema_name):
        assert not CollectiveSession.objects.exists()


def test_other_organisation_and_trainer_are_refused(org_a: Any, org_b: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    client.post("/seances-collectives/", _form(client.user))
    with schema_context(org_a.schema_name):
        session = CollectiveSession.objects.get()
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    intruder = web_client_for(org_b, "counsellor")
    assert intruder.get(f"/seances-collectives/{session.pk}/").status_code == 404
    assert (
        intruder.post(f"/seances-collectives/{session.pk}/", {"action": "enrol", "file_id": file_id}).status_code == 404
    )
    trainer = web_client_for(org_a, user=make_user(org_a.schema_name, "trainer"))
    assert trainer.get("/seances-collectives/").status_code == 403
    with schema_context(org_a.schema_name):
        assert not Enrolment.objects.exists()


def test_the_demo_has_a_session_held_yesterday_and_one_next_week(org_a: Any, db: None) -> None:
    from django_tenants.utils import tenant_context

    from clea.collective import demo as collective_demo
    from clea.journey import demo as journey_demo

    with tenant_context(org_a):  # as clea_tenants.demo does: connection.tenant is the Organisation
        logins = journey_demo.seed_journeys(org_a.schema_name, "demo-password-1234")
        collective_demo.seed_sessions(logins[0][0], logins[1][0])
        collective_demo.seed_sessions(logins[0][0], logins[1][0])  # idempotent
        held, coming = CollectiveSession.objects.order_by("on")
        assert held.on == TODAY - timedelta(days=1) and coming.on == TODAY + timedelta(days=7)
        attendance = sorted(held.enrolments.values_list("attendance", flat=True))
        assert attendance == ["absent", "present", "present"]
        assert coming.enrolments.count() == 2


def test_accommodations_page_grid_and_session_sheet(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    page = f"/dossiers/{file_id}/amenagements/"
    refused = text(client.post(page, {"kind": "other", "detail": ""}))
    assert "Précisez l&#x27;aménagement" in refused or "Précisez l'aménagement" in refused
    assert client.post(page, {"kind": "large_print", "justification_seen": "on"}).status_code == 302
    assert "Documents en gros caractères" in text(client.get(page))
    assert "Documents en gros caractères" in text(client.get(f"/dossiers/{file_id}/evaluation/"))
    client.post("/seances-collectives/", _form(client.user))
    with schema_context(org_a.schema_name):
        session = CollectiveSession.objects.get()
    client.post(f"/seances-collectives/{session.pk}/", {"action": "enrol", "file_id": file_id})
    assert "Documents en gros caractères" in text(client.get(f"/seances-collectives/{session.pk}/"))
    trainer = web_client_for(org_a, user=make_user(org_a.schema_name, "trainer"))
    assert trainer.get(page).status_code in (403, 404)
