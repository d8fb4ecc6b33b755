"""Progress notes (R6): one service (``clea.journey.notes``) decides, for the API and the web alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at

from clea.journey import notes, services
from clea.journey.models import ProgressNote
from clea.kernel.errors import DomainError

pytestmark = pytest.mark.db

Clients = Callable[..., Any]
REFUSED = "Des notes de progression ne se prennent que pendant le parcours de formation."


def _count(schema: str, file_id: int) -> int:
    with schema_context(schema):
        return ProgressNote.objects.filter(path__file_id=file_id).count()


def test_the_service_guards_state_role_and_objectives(db: None, org_a: Any) -> None:
    schema = org_a.schema_name
    counsellor, trainer = make_user(schema, "counsellor"), make_user(schema, "trainer")
    candidate = make_user(schema, "candidate")
    trained = file_at(schema, "training", counsellor, trainer)
    evaluated = file_at(schema, "evaluated", counsellor)
    with schema_context(schema):
        note = notes.add_progress_note(trained, trainer, "Bonne progression", "3.1")
        assert (note.author, note.subdomain) == (trainer, "3.1")
        notes.add_progress_note(trained, counsellor, "Point d'étape")  # staff too, on the whole path
        with pytest.raises(PermissionDenied):
            notes.add_progress_note(trained, candidate, "x")
        with pytest.raises(DomainError) as unknown:
            notes.add_progress_note(trained, trainer, "x", "1.1")  # not an objective of the path
        assert (unknown.value.code, unknown.value.rule) == ("unknown_subdomain", "R6")
        with pytest.raises(DomainError) as no_path:
            notes.add_progress_note(evaluated, counsellor, "x")
        assert no_path.value.code == "state_conflict"
        services.do_withdraw(trained, None, "moved", counsellor)
        with pytest.raises(DomainError, match="training path is under way"):
            notes.add_progress_note(trained, trainer, "x")
    assert _count(schema, trained) == 2


def test_api_and_web_refuse_the_same_note_with_the_same_words(
    org_a: Any, api_client_for: Clients, web_client_for: Clients
) -> None:
    schema = org_a.schema_name
    counsellor, trainer = make_user(schema, "counsellor"), make_user(schema, "trainer")
    file_id = file_at(schema, "training", counsellor, trainer)
    with schema_context(schema):
        services.do_withdraw(file_id, None, "moved", counsellor)
    api = api_client_for(org_a, "counsellor")
    response = api.post(f"/api/files/{file_id}/notes/", {"text": "Trop tard"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict" and response.json()["rule"] == "R6"
    assert response.json()["detail"] == REFUSED
    web = web_client_for(org_a, user=trainer)
    page = web.post(f"/dossiers/{file_id}/notes/", {f"n{file_id}-text": "Trop tard"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and REFUSED in page.content.decode()
    assert _count(schema, file_id) == 0


def test_api_refuses_a_candidate_and_a_sub_domain_off_the_path(org_a: Any, api_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "training", counsellor)
    api = api_client_for(org_a, "counsellor")
    off_path = api.post(f"/api/files/{file_id}/notes/", {"text": "x", "subdomain": "1.1"}, format="json")
    assert off_path.status_code == 400 and off_path.json()["code"] == "unknown_subdomain"
    candidate = api_client_for(org_a, "candidate")
    assert candidate.post(f"/api/files/{file_id}/notes/", {"text": "x"}, format="json").status_code in (403, 404)
    assert (
        api.post(f"/api/files/{file_id}/notes/", {"text": "Bien", "subdomain": "7.2"}, format="json").status_code == 201
    )
    assert _count(schema, file_id) == 1
