"""A prescriber signs in on the federation's host, finds an organisation, refers a person and follows them,
in a real chromium; every page passes axe-core (no serious or critical issue)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from tests.fixtures.browser import chromium
from tests.fixtures.tenants import ADMIN_PASSWORD, make_user
from tests.web.conftest import check_page

from clea.prescribers import services
from clea.prescribers.inbox.services import receive
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation, PrescriberStatus, Referral
from clea_tenants.schemas import use_public_schema

pytestmark = [pytest.mark.browser, pytest.mark.db]


@pytest.fixture(scope="module")
def federation_browser() -> Iterator[Any]:
    # One browser for the module (Playwright's sync API runs one event loop): the federation and every organisation.
    base = settings.CLEA_BASE_DOMAIN
    with chromium((f"--host-resolver-rules=MAP {base} 127.0.0.1, MAP *.{base} 127.0.0.1",)) as launched:
        yield launched


def test_a_prescriber_refers_and_follows_a_person(live_server: Any, federation_browser: Any, org_a: Any) -> None:
    organisation = PrescriberOrganisation.objects.create(
        kind="france_travail",
        name="France Travail Lyon",
        region="84",
        contact_email="ft@example.test",
        status=PrescriberStatus.APPROVED,
    )
    user = make_user("public", "prescriber")
    PrescriberMember.objects.create(user=user, organisation=organisation, is_admin=True)
    port = int(live_server.url.rsplit(":", 1)[1])
    base = f"http://{settings.CLEA_BASE_DOMAIN}:{port}"
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto(f"{base}/prescripteur/")
    assert "/prescripteur/connexion/" in page.url
    check_page(page, "prescriber-01-login")
    page.get_by_label("Identifiant (courriel)").fill(user.username)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes orientations").wait_for()
    check_page(page, "prescriber-02-home")

    page.get_by_role("link", name="Trouver un organisme").click()
    page.get_by_label("Branche").select_option("btp")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name=org_a.name).wait_for()
    check_page(page, "prescriber-03-search")

    page.get_by_role("link", name="Orienter une personne vers cet organisme").first.click()
    page.get_by_role("button", name="Envoyer l'orientation").click()  # empty: the errors are listed
    page.get_by_role("heading", name="Le formulaire n'a pas pu être enregistré").wait_for()
    check_page(page, "prescriber-04-refer-errors")
    page.locator("#id_first_name").fill("Léa")
    page.locator("#id_last_name").fill("Martin")
    page.get_by_label("La personne accepte d'être orientée vers cet organisme pour le certificat CléA.").check()
    page.get_by_label("Elle accepte que l'organisme informe le prescripteur de son étape et de son résultat.").check()
    page.locator("#id_consent_given_on").fill("2026-01-15")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.get_by_role("heading", name="Léa Martin").wait_for()
    check_page(page, "prescriber-05-referral")
    assert Referral.objects.get().organisation_id == org_a.pk

    for link, name in (
        ("Orienter un groupe", "06-bulk"),
        ("Cohortes", "07-cohorts"),
        ("Mes chiffres", "08-figures"),
        ("Équipe", "09-team"),
    ):
        page.get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state()
        check_page(page, f"prescriber-{name}")
    page.goto(f"{base}/prescripteur/cohortes/")
    page.locator("#id_organisation").select_option(str(org_a.pk))
    page.locator("#id_name").fill("Atelier CléA en entreprise")
    page.get_by_role("button", name="Ouvrir la cohorte").click()
    page.get_by_text("Cohorte ouverte").wait_for()
    code = PrescriberOrganisation.objects.get(pk=organisation.pk).cohorts.get().code
    context.close()

    # A person registers with the cohort's link, without an account; and the account request page.
    visitor = federation_browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page = visitor.new_page()
    page.goto(f"{base}/prescripteur/cohorte/{code}/")
    check_page(page, "prescriber-10-cohort-registration")
    page.locator("#id_first_name").fill("Ana")
    page.locator("#id_last_name").fill("Salariée")
    page.get_by_label("J'accepte d'être orienté(e) vers cet organisme pour le certificat CléA.").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_role("heading", name="Inscription enregistrée").wait_for()
    check_page(page, "prescriber-11-cohort-done")
    page.goto(f"{base}/prescripteur/demande/")
    check_page(page, "prescriber-12-request")
    visitor.close()
    assert Referral.objects.filter(cohort__code=code).count() == 1


def test_the_organisation_answers_its_inbox(live_server: Any, federation_browser: Any, org_a: Any) -> None:
    organisation = PrescriberOrganisation.objects.create(
        kind="employer",
        name="Bâtiments du Rhône",
        region="84",
        contact_email="rh@example.test",
        status=PrescriberStatus.APPROVED,
    )
    member = PrescriberMember.objects.create(user=make_user("public", "prescriber"), organisation=organisation)
    for last in ("Accueillie", "Déclinée"):
        referral = services.refer(
            member, org_a.pk, services.Person("Léa", last), services.ReferralConsent(date.today())
        )
        with schema_context(org_a.schema_name):
            receive(referral.pk)  # what the delivery task does in the organisation's schema
    use_public_schema()
    counsellor = make_user(org_a.schema_name, "counsellor")
    port = int(live_server.url.rsplit(":", 1)[1])
    host = f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"http://{host}:{port}/orientations/")
    page.get_by_label("Identifiant (courriel)").fill(counsellor.username)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Orientations reçues").wait_for()
    check_page(page, "inbox-01-pending")
    declined = page.get_by_role("region", name="Léa Déclinée")
    declined.get_by_label("Motif du refus (lu par le prescripteur)").fill("Complet jusqu'en mars.")
    declined.get_by_role("button", name="Décliner").click()
    page.get_by_text("Orientation déclinée").wait_for()
    page.get_by_role("region", name="Léa Accueillie").get_by_role("button", name="Accepter et accueillir").click()
    page.get_by_text("Orientation acceptée").wait_for()
    check_page(page, "inbox-02-file")
    context.close()
    assert Referral.objects.get(last_name="Déclinée").decline_reason == "Complet jusqu'en mars."
    assert Referral.objects.get(last_name="Accueillie").status == "accepted"
