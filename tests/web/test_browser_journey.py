"""The counsellor's journey in a real chromium, page by page, with axe-core checks and screenshots.

login → intake with consent → initial evaluation with gaps, typed on the keyboard grid → mastery →
training path → trainer's notes → final evaluation → submission to the jury; then the candidate's portal
(on a phone-sized screen) and a counsellor of another organisation, who reaches none of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.web.conftest import Site, check_page, login
from tests.web.helpers import GAPS, file_at, ordered_criteria

pytestmark = [pytest.mark.browser, pytest.mark.db]


def type_grid(page: Any, keys: list[str]) -> None:
    """Focus the first criterion and type one key per criterion (the grid moves to the next itself)."""
    page.locator("fieldset.criterion input[type=radio]").first.focus()
    for key in keys:
        page.keyboard.press(key)


def test_counsellor_journey(
    org_a: Any, org_b: Any, site_for: Callable[[Any], Site], new_page: Callable[..., Any]
) -> None:
    a = site_for(org_a)
    counsellor = a.user("counsellor")
    trainer = a.user("trainer")
    page = new_page()

    # --- login --------------------------------------------------------------------------------------
    page.goto(a.url("/"))
    assert "/connexion/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    check_page(page, "01-connexion")
    login(page, a, counsellor)
    assert page.get_by_role("heading", name="Tableau de bord").is_visible()

    # --- intake with recorded consent ------------------------------------------------------------------
    page.get_by_role("link", name="Accueillir une personne").first.click()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Parcours")
    page.get_by_label("Prescripteur", exact=True).select_option("france_travail")
    page.get_by_label("Nom du prescripteur").fill("Agence Lyon Part-Dieu")
    page.get_by_label("Date de l'orientation").fill("2025-01-06")
    page.get_by_label("La personne donne son consentement explicite").check()
    check_page(page, "02-accueil")
    page.get_by_role("button", name="Enregistrer l'accueil").click()
    page.wait_for_url(re.compile(r"/dossiers/\d+/$"))
    file_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert page.get_by_text("Dossier ouvert avec le consentement de la personne.").is_visible()
    check_page(page, "03-dossier-ouvert")

    # --- evaluation plan: the accredited branch spreads the evaluation over days (R3) --------------------
    page.get_by_role("link", name="Préparer le plan d'évaluation").click()
    page.get_by_label("Durée maximale d'évaluation par jour (minutes)").fill("180")
    page.get_by_role("button", name="Calculer le plan").click()
    page.get_by_role("heading", name=re.compile("Plan proposé par la branche")).wait_for()
    assert page.locator("h3.plan-day-title").count() > 1
    check_page(page, "03b-plan-evaluation")

    # --- initial evaluation, every criterion typed on the keyboard, gaps in 3.1 and 7.2 -----------------
    page.get_by_role("link", name="Saisir l'évaluation préalable avec cette branche").click()
    branch = page.get_by_label("Modalité d'évaluation")
    assert branch.locator("option").all_inner_texts() == ["Bâtiment et travaux publics (EXEMPLE)"]
    branch.select_option("btp")
    modalities_72 = page.locator("#sd-7\\.2 ~ .modalities[data-branch=btp]").first
    assert modalities_72.is_visible() and "sur site" in modalities_72.inner_text()
    criteria = ordered_criteria()
    assert page.locator("fieldset.criterion").count() == len(criteria)
    keys = ["n" if sub in GAPS else "a" for _code, sub in criteria]
    type_grid(page, keys[:10])
    assert "Brouillon enregistré localement" in page.locator("#draft-status").inner_text()
    page.reload()  # what was typed survives a reload (local draft)
    assert "Brouillon local restauré" in page.locator("#draft-status").inner_text()
    assert page.locator("fieldset.criterion input[value='1']:checked").count() == keys[:10].count("a")
    page.locator("fieldset.criterion").nth(10).locator("input[type=radio]").first.focus()
    for key in keys[10:]:
        page.keyboard.press(key)
    assert page.locator("#grid-count").inner_text().startswith(f"{len(criteria)} ")
    check_page(page, "04-grille-evaluation-prealable")

    # the network fails while sending: nothing is lost, the person is told, and can send again
    page.context.set_offline(True)
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.locator("#network-error").wait_for(state="visible")
    assert "rien n’est perdu" in page.locator("#network-error").inner_text()
    page.context.set_offline(False)
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/acquis/"))

    # --- mastery: strengths first, never "échec" -------------------------------------------------------
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Ce qui est acquis") < headings.index("À acquérir")
    body = page.locator("main").inner_text().lower()
    assert "échec" not in body and "échoué" not in body
    assert page.locator("svg[role=img] title").text_content() == "Acquis par domaine"
    draft_key = f"clea-grid:{a.host}:{a.port}:{file_id}:initial"
    assert page.evaluate("key => localStorage.getItem(key)", draft_key) is None
    check_page(page, "05-acquis")

    # --- training path: pre-filled from the gaps, the evaluator is not offered as trainer (R7) ----------
    page.goto(a.url(f"/dossiers/{file_id}/parcours/"))
    assert page.locator("#offres-3\\.1").get_by_text("Formations suggérées par la branche").is_visible()
    options = page.get_by_role("combobox", name="Formateur", exact=True).locator("option").all_inner_texts()
    assert not any(counsellor.username in option for option in options)
    assert page.locator("table.calendar-edit tbody tr").count() == len(GAPS)
    page.get_by_role("combobox", name="Formateur", exact=True).select_option(str(trainer.pk))
    check_page(page, "06-parcours")
    page.get_by_role("button", name="Proposer ce parcours").click()
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/$"))
    assert page.locator(".file-header .badge").inner_text() == "En parcours de formation"

    # --- the trainer's view: objectives and a progress note (htmx) -------------------------------------
    trainer_page = new_page()
    login(trainer_page, a, trainer)
    trainer_page.goto(a.url("/formateur/"))
    trainer_page.get_by_label("Note de progression").fill("Bonne progression sur les calculs de proportions.")
    trainer_page.get_by_role("button", name="Ajouter la note").click()
    trainer_page.get_by_text("Bonne progression sur les calculs de proportions.").wait_for()
    check_page(trainer_page, "07-formateur")

    # --- final evaluation: only the path's objectives (R9) ---------------------------------------------
    page.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    in_scope = [code for code, sub in criteria if sub in GAPS]
    assert page.locator("fieldset.criterion").count() == len(in_scope)
    assert page.get_by_role("heading", name=re.compile("Évaluation finale")).is_visible()
    page.get_by_label("Modalité d'évaluation").select_option("btp")
    assert page.get_by_role("checkbox", name=re.compile(r"Observation en situation de travail \(7\.2\)")).is_visible()
    type_grid(page, ["a"] * len(in_scope))
    check_page(page, "08-grille-evaluation-finale")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/acquis/"))
    assert page.get_by_text("Les 7 domaines sont acquis").is_visible()

    # --- submission to the jury ----------------------------------------------------------------------
    page.goto(a.url(f"/dossiers/{file_id}/"))
    page.get_by_role("button", name="Transmettre le dossier au jury").click()
    page.get_by_text("Le dossier a été transmis au jury.").wait_for()
    assert page.locator(".file-header .badge").inner_text() == "Transmis au jury"
    check_page(page, "09-transmis-au-jury")
    assert page.get_by_text("Avertissements de la branche").first.is_visible()
    near_limit = date.today() - timedelta(days=5 * 365 - 90)  # 5-year deadline in about 90 days
    file_at(org_a.schema_name, "referred", counsellor, name=("Karim", "Benali"))
    file_at(org_a.schema_name, "file_opened", counsellor, name=("Sophie", "Lefèvre"))
    file_at(org_a.schema_name, "evaluated", counsellor, evaluated_on=near_limit, name=("Marc", "Dubois"))
    file_at(org_a.schema_name, "training", counsellor, trainer, name=("Julie", "Moreau"))
    page.goto(a.url("/"))
    assert page.get_by_role("link", name="Proposer le parcours de formation").is_visible()
    assert page.get_by_role("row", name=re.compile("Marc Dubois")).is_visible()  # close to its 5-year limit
    check_page(page, "10-tableau-de-bord")

    # --- the candidate's portal, on a phone ------------------------------------------------------------
    from clea.journey.models import Candidate, CandidateFileRecord

    candidate_user = a.user("candidate")
    with schema_context(org_a.schema_name):
        Candidate.objects.filter(files__pk=file_id).update(user=candidate_user)
    phone = new_page(width=390, height=844)
    login(phone, a, candidate_user)
    assert phone.url.endswith("/mon-dossier/")
    assert phone.get_by_role("heading", name="Mon portefeuille de compétences").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(phone, "11-portail-candidat-mobile")
    phone.goto(a.url(f"/dossiers/{file_id}/"))  # staff pages stay closed to the candidate
    assert "Accès refusé" in phone.content()

    # --- a counsellor of another organisation reaches none of it -----------------------------------------
    b = site_for(org_b)
    other = b.user("counsellor")
    stranger = new_page()
    login(stranger, a, other)  # B's account does not exist in A
    assert "/connexion/" in stranger.url
    assert stranger.get_by_text("Identifiant ou mot de passe incorrect").is_visible()
    login(stranger, b, other)
    assert stranger.get_by_role("heading", name="Tableau de bord").is_visible()
    for path in (f"/dossiers/{file_id}/", f"/dossiers/{file_id}/acquis/", f"/dossiers/{file_id}/evaluation/"):
        stranger.goto(a.url(path))  # signed in on B only: A's host asks to log in
        assert "/connexion/" in stranger.url
    with schema_context(org_b.schema_name):
        exists_in_b = CandidateFileRecord.objects.filter(pk=file_id).exists()
    if not exists_in_b:
        response = stranger.goto(b.url(f"/dossiers/{file_id}/acquis/"))
        assert response is not None and response.status == 404
    home_b = stranger.goto(b.url("/"))
    assert home_b is not None and "Inès" not in home_b.text()
