"""Issue 13 §4 in the web: the candidate uploads from the portal, a counsellor accepts or rejects with a
reason that the candidate reads, the trainer adds a piece for their trainee; all through
:mod:`clea.journey.evidence_review` (the API's service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at

from clea.journey.models import Candidate, CandidateFileRecord, Evidence

pytestmark = pytest.mark.db

Clients = Callable[..., Any]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def _pieces(schema: str, file_id: int) -> list[Evidence]:
    with schema_context(schema):
        return list(Evidence.objects.filter(file_id=file_id).select_related("uploaded_by"))


def _candidate_on(schema: str, file_id: int) -> Any:
    user = make_user(schema, "candidate")
    with schema_context(schema):
        record = CandidateFileRecord.objects.get(pk=file_id)
        Candidate.objects.filter(pk=record.candidate_id).update(user=user)
    return user


def _portal_upload(web: Any, file_id: int, title: str) -> Any:
    return web.post(
        f"/mon-dossier/{file_id}/preuves/",
        {"content": SimpleUploadedFile("photo.jpg", JPEG), "title": title},
        follow=True,
    )


def test_portal_upload_accepted_then_rejected_with_reason(db: None, org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "file_opened", counsellor)
    candidate = web_client_for(org_a, user=_candidate_on(schema, file_id))
    page = _portal_upload(candidate, file_id, "Attestation employeur")
    assert page.status_code == 200 and "sera examinée" in page.content.decode()
    _portal_upload(candidate, file_id, "Photo floue")
    first, second = _pieces(schema, file_id)
    assert (first.review_status, second.review_status) == ("to_review", "to_review")
    staff = web_client_for(org_a, user=counsellor)
    listing = staff.get(f"/dossiers/{file_id}/dossier-de-preuves/").content.decode()
    assert "Attestation employeur" in listing and "à examiner" in listing and "Refuser" in listing
    url = f"/dossiers/{file_id}/dossier-de-preuves/{{}}/examen/"
    staff.post(url.format(first.uid), {"decision": "accept"})
    refused = staff.post(url.format(second.uid), {"decision": "reject"}, follow=True)  # no reason: refused
    assert "Indiquez le motif du refus." in refused.content.decode()
    assert _pieces(schema, file_id)[1].review_status == "to_review"
    staff.post(url.format(second.uid), {"decision": "reject", "reason": "Photo illisible, à refaire"})
    first, second = _pieces(schema, file_id)
    assert (first.review_status, second.review_status) == ("accepted", "rejected")
    assert second.reviewed_by_id == counsellor.pk and second.reviewed_at is not None
    portal = candidate.get("/mon-dossier/").content.decode()
    assert "acceptée" in portal and "refusée" in portal and "Photo illisible, à refaire" in portal


def test_portal_bad_upload_is_refused_in_french_and_stores_nothing(
    db: None, org_a: Any, web_client_for: Clients
) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "file_opened", counsellor)
    candidate = web_client_for(org_a, user=_candidate_on(schema, file_id))
    page = candidate.post(
        f"/mon-dossier/{file_id}/preuves/", {"content": SimpleUploadedFile("x.jpg", b"\x00\x01" * 20)}, follow=True
    )
    assert "Type de fichier refusé" in page.content.decode()
    assert _pieces(schema, file_id) == []
    other = file_at(schema, "file_opened", counsellor, name=("Paul", "Autre"))
    assert _portal_upload(candidate, other, "x").status_code == 404  # not their file
    assert _pieces(schema, other) == []
    review = candidate.post(f"/dossiers/{file_id}/dossier-de-preuves/", {})
    assert review.status_code == 403  # the staff page is not the candidate's


def test_the_trainer_adds_a_piece_through_the_web(db: None, org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor, trainer = make_user(schema, "counsellor"), make_user(schema, "trainer")
    trained = file_at(schema, "training", counsellor, trainer)
    other = file_at(schema, "training", counsellor, make_user(schema, "trainer"), name=("Paul", "Autre"))
    web = web_client_for(org_a, user=trainer)
    assert "dossier-de-preuves" in web.get("/formateur/").content.decode()
    page = web.post(
        f"/dossiers/{trained}/dossier-de-preuves/",
        {"content": SimpleUploadedFile("fiche.jpg", JPEG), "title": "Fiche de séance", "criterion": "1.1.1"},
        follow=True,
    )
    assert page.status_code == 200 and "Fiche de séance" in page.content.decode()
    assert "Refuser" not in page.content.decode()  # the trainer does not review
    (piece,) = _pieces(schema, trained)
    assert (piece.uploaded_by_id, piece.review_status, piece.criterion) == (trainer.pk, "accepted", "1.1.1")
    bad = web.post(f"/dossiers/{trained}/dossier-de-preuves/", {"title": "sans fichier"})
    assert bad.status_code == 400 and len(_pieces(schema, trained)) == 1
    assert web.get(f"/dossiers/{other}/dossier-de-preuves/").status_code == 404  # not their trainee
    assert web.post(f"/dossiers/{trained}/dossier-de-preuves/{piece.uid}/examen/", {}).status_code == 403


def test_another_organisation_never_reaches_the_evidence_pages(
    db: None, org_a: Any, org_b: Any, web_client_for: Clients
) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "file_opened", counsellor)
    candidate = web_client_for(org_a, user=_candidate_on(schema, file_id))
    _portal_upload(candidate, file_id, "Attestation")
    (piece,) = _pieces(schema, file_id)
    intruder = web_client_for(org_b, "admin")
    assert intruder.get(f"/dossiers/{file_id}/dossier-de-preuves/").status_code == 404
    review = intruder.post(f"/dossiers/{file_id}/dossier-de-preuves/{piece.uid}/examen/", {"decision": "accept"})
    assert review.status_code == 404
    assert _pieces(schema, file_id)[0].review_status == "to_review"


def test_the_portal_upload_is_the_candidates_only(db: None, org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "file_opened", counsellor)
    staff = web_client_for(org_a, user=counsellor)
    assert _portal_upload(staff, file_id, "x").status_code == 404
    assert _pieces(schema, file_id) == []


def test_the_grid_offers_only_accepted_pieces(db: None, org_a: Any, web_client_for: Clients) -> None:
    schema = org_a.schema_name
    counsellor = make_user(schema, "counsellor")
    file_id = file_at(schema, "file_opened", counsellor)
    candidate = web_client_for(org_a, user=_candidate_on(schema, file_id))
    candidate.post(
        f"/mon-dossier/{file_id}/preuves/",
        {"content": SimpleUploadedFile("p.jpg", JPEG), "title": "Piece en attente", "criterion": "1.1.1"},
    )
    staff = web_client_for(org_a, user=counsellor)
    assert "Piece en attente" not in staff.get(f"/dossiers/{file_id}/evaluation/").content.decode()
    (piece,) = _pieces(schema, file_id)
    staff.post(f"/dossiers/{file_id}/dossier-de-preuves/{piece.uid}/examen/", {"decision": "accept"})
    assert "Piece en attente" in staff.get(f"/dossiers/{file_id}/evaluation/").content.decode()
