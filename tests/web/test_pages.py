"""Django test-client checks of the web pages: roles, scoping (404s), errors next to their field, R3 wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import GAPS, file_at, ordered_criteria, record_version

from clea.journey.models import Candidate, CandidateFileRecord, Evidence, ProgressNote

pytestmark = pytest.mark.db

Clients = Callable[..., Any]


def text(response: Any) -> str:
    return str(response.content.decode())


# --- authentication and roles -----------------------------------------------------------------------


def test_anonymous_people_are_sent_to_this_organisations_login(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a)
    response = client.get("/dossiers/nouveau/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/dossiers/nouveau/"
    page = client.get("/connexion/")
    assert page.status_code == 200
    assert '<html lang="fr">' in text(page) and "Se connecter" in text(page)
    assert 'class="skip-link" href="#contenu"' in text(page)
    assert "csrfmiddlewaretoken" in text(page)


def test_login_with_a_wrong_password_says_so_in_french(org_a: Any, web_client_for: Clients) -> None:
    user = make_user(org_a.schema_name, "counsellor")
    response = web_client_for(org_a).post("/connexion/", {"username": user.username, "password": "faux"})
    assert response.status_code == 200
    assert 'role="alert"' in text(response) and "Identifiant ou mot de passe incorrect" in text(response)


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("candidate", "/dossiers/nouveau/", 403),
        ("trainer", "/dossiers/nouveau/", 403),
        ("candidate", "/formateur/", 403),
        ("counsellor", "/mon-dossier/", 403),
        ("trainer", "/transferts/reprise/", 403),
        ("counsellor", "/dossiers/nouveau/", 200),
        ("admin", "/transferts/reprise/", 200),
        ("trainer", "/formateur/", 200),
        ("candidate", "/mon-dossier/", 200),
    ],
)
def test_each_page_checks_the_role(org_a: Any, web_client_for: Clients, role: str, path: str, status: int) -> None:
    assert web_client_for(org_a, role).get(path).status_code == status


def test_a_candidate_goes_to_their_portal_and_sees_only_their_file(org_a: Any, web_client_for: Clients) -> None:
    counsellor = make_user(org_a.schema_name, "counsellor")
    mine = file_at(org_a.schema_name, "evaluated", counsellor, name=("Ana", "Mienne"))
    other = file_at(org_a.schema_name, "evaluated", counsellor, name=("Bob", "Autre"))
    user = make_user(org_a.schema_name, "candidate")
    with schema_context(org_a.schema_name):
        Candidate.objects.filter(files__pk=mine).update(user=user)
    client = web_client_for(org_a, user=user)
    assert client.get("/")["Location"] == "/mon-dossier/"
    portal = text(client.get("/mon-dossier/"))
    assert "Mon portefeuille de compétences" in portal and "Bob" not in portal
    assert client.get(f"/dossiers/{mine}/acquis/").status_code == 200
    assert client.get(f"/dossiers/{other}/acquis/").status_code == 404
    assert client.get(f"/dossiers/{mine}/").status_code == 403  # the staff file page is not theirs


def test_a_trainer_sees_only_the_files_they_train(org_a: Any, web_client_for: Clients) -> None:
    counsellor = make_user(org_a.schema_name, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    trained = file_at(org_a.schema_name, "training", counsellor, trainer, name=("Chloé", "Formée"))
    not_mine = file_at(org_a.schema_name, "training", counsellor, name=("Denis", "Ailleurs"))
    client = web_client_for(org_a, user=trainer)
    page = text(client.get("/formateur/"))
    assert "Chloé Formée" in page and "Denis" not in page
    assert client.get(f"/dossiers/{trained}/").status_code == 200
    assert client.get(f"/dossiers/{not_mine}/").status_code == 404
    assert client.get(f"/dossiers/{not_mine}/acquis/").status_code == 404
    response = client.post(f"/dossiers/{trained}/notes/", {f"n{trained}-text": "Bien."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Bien." in text(response)
    assert client.post(f"/dossiers/{not_mine}/notes/", {f"n{not_mine}-text": "x"}).status_code == 404
    with schema_context(org_a.schema_name):
        assert ProgressNote.objects.filter(path__file_id=trained, author=trainer).count() == 1


def test_a_session_of_one_organisation_opens_nothing_in_another(
    org_a: Any, org_b: Any, web_client_for: Clients
) -> None:
    counsellor_a = make_user(org_a.schema_name, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", counsellor_a, name=("Élise", "Secrète"))
    client = web_client_for(org_b, "counsellor")
    for path in (f"/dossiers/{file_id}/", f"/dossiers/{file_id}/acquis/", f"/dossiers/{file_id}/parcours/"):
        response = client.get(path)
        assert response.status_code in (200, 302, 404)
        assert "Secrète" not in text(response)
    with schema_context(org_b.schema_name):
        in_b = CandidateFileRecord.objects.filter(pk=file_id).exists()
    if not in_b:
        assert client.get(f"/dossiers/{file_id}/").status_code == 404
    client.defaults["HTTP_HOST"] = f"{org_a.slug}.clea.test"  # B's session cookie means nothing on A's host
    assert client.get(f"/dossiers/{file_id}/").status_code == 302


# --- errors next to their field, in French ---------------------------------------------------------


def test_opening_without_consent_shows_the_kernel_refusal_next_to_the_consent_box(
    org_a: Any, web_client_for: Clients
) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "referred", client.user)
    version = record_version(org_a.schema_name, file_id)
    response = client.post(f"/dossiers/{file_id}/ouverture/", {"version": version, "consent_purpose": "CléA"})
    page = text(response)
    assert response.status_code == 200
    assert re.search(r'id="id_consent_error">[^<]*consentement explicite de la personne est nécessaire', page)
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in page and 'aria-invalid="true"' in page
    assert 'class="error-summary" role="alert"' in page
    assert record_version(org_a.schema_name, file_id) == version  # nothing changed


def test_intake_without_consent_welcomes_the_person_but_does_not_open_the_file(
    org_a: Any, web_client_for: Clients
) -> None:
    client = web_client_for(org_a, "counsellor")
    data = {"first_name": "Nadia", "last_name": "Sans", "consent_purpose": "CléA", "prescriber_type": "opco"}
    response = client.post("/dossiers/nouveau/", data)
    assert response.status_code == 200
    assert 'id="id_prescriber_name_error"' in text(response)  # a referral needs its prescriber
    response = client.post("/dossiers/nouveau/", {**data, "prescriber_name": "OPCO 2i", "referred_on": "2025-01-06"})
    assert response.status_code == 302
    with schema_context(org_a.schema_name):
        record = CandidateFileRecord.objects.get(candidate__last_name="Sans")
        assert record.state == "referred" and record.prescriber_name == "OPCO 2i"


def test_an_incomplete_grid_is_refused_with_each_blank_criterion_marked(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    data = {"version": record_version(org_a.schema_name, file_id), "day1": str(date.today())}
    data |= {f"c-{code}": "1" for code, _sub in ordered_criteria()[:-2]}
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", data))
    assert "2 critère(s) ne sont pas renseignés" in page
    assert page.count('class="criterion has-error"') == 2
    assert 'name="c-1.1.1" value="1" checked' in page  # what was typed is kept


def test_a_future_evaluation_day_is_refused_by_the_kernel(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    data = {"version": record_version(org_a.schema_name, file_id), "day1": str(date.today() + timedelta(days=3))}
    data |= {f"c-{code}": "1" for code, _sub in ordered_criteria()}
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", data))
    assert "ne peut pas être datée dans le futur" in page and 'role="alert"' in page


def test_final_grid_shows_only_the_path_objectives(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "training", client.user)
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    in_scope = [code for code, sub in ordered_criteria() if sub in GAPS]
    assert page.count('class="criterion"') == len(in_scope)
    assert f'name="c-{in_scope[0]}"' in page and 'name="c-1.1.1"' not in page


def test_a_calendar_in_the_past_is_refused_next_to_the_calendar(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    file_id = file_at(org_a.schema_name, "evaluated", client.user)
    past = date.today() - timedelta(days=30)
    data: dict[str, Any] = {
        "version": record_version(org_a.schema_name, file_id),
        "trainer": trainer.pk,
        "training_organisation": "Centre",
    }
    for index, code in enumerate(GAPS):
        data |= {f"s-{index}-subdomains": code, f"s-{index}-start": str(past), f"s-{index}-end": str(past)}
    page = text(client.post(f"/dossiers/{file_id}/parcours/", data))
    assert re.search(r'id="sessions_error" role="alert">La séance du [0-9/]+ est dans le passé', page)


def test_the_trainer_list_leaves_out_the_evaluators_r7(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    trainer = make_user(org_a.schema_name, "trainer")
    file_id = file_at(org_a.schema_name, "evaluated", client.user)
    page = text(client.get(f"/dossiers/{file_id}/parcours/"))
    assert f'value="{trainer.pk}"' in page and f'value="{client.user.pk}"' not in page
    data: dict[str, Any] = {
        "version": record_version(org_a.schema_name, file_id),
        "trainer": client.user.pk,  # forged: the evaluator
        "training_organisation": "Centre",
    }
    start = date.today() + timedelta(days=10)
    for index, code in enumerate(GAPS):
        data |= {f"s-{index}-subdomains": code, f"s-{index}-start": str(start), f"s-{index}-end": str(start)}
    page = text(client.post(f"/dossiers/{file_id}/parcours/", data))
    assert 'id="id_trainer_error"' in page  # refused next to the field (not a valid choice)


def test_evidence_is_checked_by_content_and_served_only_to_those_who_see_the_file(
    org_a: Any, web_client_for: Clients
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    bad = SimpleUploadedFile("x.pdf", b"\x00\x01\x02binary", content_type="application/pdf")
    response = client.post(
        f"/dossiers/{file_id}/preuves/", {"criterion": "1.1.1", "content": bad}, HTTP_HX_REQUEST="true"
    )
    assert "Type de fichier refusé" in text(response) and 'role="alert"' in text(response)
    good = SimpleUploadedFile("compte-rendu.txt", b"Compte rendu d'entretien", content_type="text/plain")
    response = client.post(
        f"/dossiers/{file_id}/preuves/", {"criterion": "1.1.1", "content": good}, HTTP_HX_REQUEST="true"
    )
    assert 'name="e-1.1.1"' in text(response) and "compte-rendu.txt" in text(response)
    with schema_context(org_a.schema_name):
        uid = Evidence.objects.get(file_id=file_id).uid
    assert client.get(f"/preuves/{uid}/").status_code == 200
    assert web_client_for(org_a, "candidate").get(f"/preuves/{uid}/").status_code == 404


# --- R3 wording, transfer, jury, password reset, language -------------------------------------------


def test_mastery_shows_strengths_first_and_never_says_failed(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user)
    page = text(client.get(f"/dossiers/{file_id}/acquis/"))
    assert page.index("Ce qui est acquis") < page.index("À acquérir</h2>")
    assert "échec" not in page.lower() and "échoué" not in page.lower()
    assert re.search(r'<svg role="img" aria-labelledby="chart-t-1 chart-d-1"', page)
    assert "critères acquis sur" in page


def test_transfer_out_then_import_into_another_organisation(org_a: Any, org_b: Any, web_client_for: Clients) -> None:
    source = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", source.user, name=("Farid", "Voyageur"))
    version = record_version(org_a.schema_name, file_id)
    no_consent = {"version": version, "target": org_b.slug, "consent_purpose": "Transfert"}
    refused = text(source.post(f"/dossiers/{file_id}/transfert/", no_consent))
    assert 'id="id_consent_error"' in refused
    unknown = {"version": version, "target": "nulle-part", "consent": "on", "consent_purpose": "Transfert"}
    assert 'id="id_target_error"' in text(source.post(f"/dossiers/{file_id}/transfert/", unknown))
    page = text(source.post(f"/dossiers/{file_id}/transfert/", {**unknown, "target": org_b.slug}))
    bundle = re.search(r'<textarea id="bundle" readonly rows="8" class="bundle">([^<]+)</textarea>', page)
    assert bundle is not None
    target = web_client_for(org_b, "counsellor")
    response = target.post("/transferts/reprise/", {"bundle": bundle.group(1), "consent_purpose": "Reprise"})
    assert 'id="id_consent_error"' in text(response)
    response = target.post(
        "/transferts/reprise/", {"bundle": bundle.group(1), "consent": "on", "consent_purpose": "Reprise"}
    )
    assert response.status_code == 302
    assert "Farid Voyageur" in text(target.get(response["Location"]))
    again = target.post(
        "/transferts/reprise/", {"bundle": bundle.group(1), "consent": "on", "consent_purpose": "Reprise"}
    )
    assert "déjà été repris" in text(again)


def test_submission_to_the_jury_from_the_file_page(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user, gaps=())
    assert "Transmettre le dossier au jury" in text(client.get(f"/dossiers/{file_id}/"))
    version = record_version(org_a.schema_name, file_id)
    stale = text(client.post(f"/dossiers/{file_id}/jury/", {"version": version + 5}))
    assert "modifié entre-temps" in stale  # the version check of the services, shown at the top
    response = client.post(f"/dossiers/{file_id}/jury/", {"version": version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/dossiers/{file_id}/"
    with schema_context(org_a.schema_name):
        assert CandidateFileRecord.objects.get(pk=file_id).state == "submitted"


def test_password_reset_mails_a_link_to_this_organisations_host(org_a: Any, web_client_for: Clients) -> None:
    user = make_user(org_a.schema_name, "counsellor")
    client = web_client_for(org_a)
    response = client.post("/mot-de-passe/oubli/", {"email": user.email})
    assert response["Location"] == "/mot-de-passe/oubli/envoye/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://([^/]+)(/mot-de-passe/nouveau/\S+)", str(mail.outbox[0].body))
    assert link is not None and link.group(1) == f"{org_a.slug}.clea.test"
    assert client.get(link.group(2), follow=True).status_code == 200


def test_english_is_available_through_the_language_switch(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    assert "Tableau de bord" in text(client.get("/"))
    client.post("/langue/setlang/", {"language": "en", "next": "/"})
    page = text(client.get("/"))
    assert '<html lang="en">' in page and "Dashboard" in page
