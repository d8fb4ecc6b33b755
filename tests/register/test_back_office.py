"""The register's back office (#15 §3): the demo path from the web alone, in a real chromium with axe checks,
and the pages' roles and French refusals through Django's test client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.certification.conftest import federation_user
from tests.certification.test_browser_jury import totp_code
from tests.certification.test_web_pages import signed_in
from tests.fixtures.browser import chromium
from tests.fixtures.tenants import ADMIN_PASSWORD
from tests.register.test_register_api import luhn_siret
from tests.web.conftest import check_page

from clea.audit.models import AuditEntry
from clea.certification.models import Jury
from clea_tenants.models import Establishment, Habilitation, TrainingBody

TODAY = date.today()


@pytest.fixture(scope="module")
def federation_browser() -> Iterator[Any]:
    with chromium((f"--host-resolver-rules=MAP {settings.CLEA_BASE_DOMAIN} 127.0.0.1",)) as launched:
        yield launched


@pytest.mark.browser
@pytest.mark.db
def test_a_federation_admin_accredits_registers_and_creates_a_jury_from_the_web(
    live_server: Any, federation_browser: Any, org_a: Any
) -> None:
    admin = federation_user("federation_admin")
    device = TOTPDevice.objects.create(user=admin, name="téléphone", confirmed=True)
    port = int(live_server.url.rsplit(":", 1)[1])
    base = f"http://{settings.CLEA_BASE_DOMAIN}:{port}"
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/federation/registre/etablissements/")
    page.get_by_label("Identifiant (courriel)").fill(admin.username)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(totp_code(device))
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Établissements et habilitations").wait_for()

    # a new establishment: a bad SIRET is refused in French, next to the field
    siret = luhn_siret("4444444400001")
    page.get_by_label("Organisme évaluateur").select_option(label=str(org_a))
    page.locator("#id_siret").fill("12345678901234")
    page.get_by_label("Nom de l'établissement").fill("Antenne de Villeurbanne")
    page.locator("#id_address").fill("3 avenue Henri Barbusse")
    page.get_by_label("Code postal").fill("69100")
    page.locator("#id_city").fill("Villeurbanne")
    page.get_by_role("button", name="Enregistrer l'établissement").click()
    assert "SIRET invalide" in page.locator("#id_siret_error").inner_text()
    check_page(page, "register-01-establishments-error")
    page.locator("#id_siret").fill(siret)
    page.get_by_role("button", name="Enregistrer l'établissement").click()
    page.get_by_role("heading", name="Antenne de Villeurbanne").wait_for()

    # accredited for CléA with its Qualiopi certificate
    page.get_by_label("Certification").select_option("clea")
    page.get_by_label("Valide du").fill(str(TODAY))
    page.get_by_label("Valide jusqu'au").fill(str(TODAY + timedelta(days=3 * 365)))
    page.get_by_label("N° de certificat Qualiopi").fill("QUA-69-2026-17")
    page.get_by_label("Organisme certificateur Qualiopi").fill("AFNOR Certification")
    page.get_by_label("Expiration du certificat Qualiopi").fill(str(TODAY + timedelta(days=2 * 365)))
    page.get_by_role("button", name="Accorder l'habilitation").click()
    page.get_by_text("Habilitation accordée.").wait_for()
    assert page.get_by_role("heading", name="CléA : Accordée (en vigueur)").is_visible()
    check_page(page, "register-02-establishment")
    establishment = Establishment.objects.get(siret=siret)
    assert (establishment.department, establishment.region) == ("69", "84")
    habilitation = Habilitation.objects.get(establishment=establishment)
    assert (habilitation.status, habilitation.qualiopi_number) == ("granted", "QUA-69-2026-17")

    # a training body of the register
    page.get_by_role("navigation", name="Registre").get_by_role("link", name="Organismes de formation").click()
    page.locator("#id_name").fill("GRETA Lyon Métropole")
    page.locator("#id_siret").fill(luhn_siret("3333333300001"))
    page.get_by_label("Région").select_option("84")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Organisme de formation enregistré au registre.").wait_for()
    check_page(page, "register-03-bodies")
    body = TrainingBody.objects.get(name="GRETA Lyon Métropole")

    # two members, linked to an organisation and to the training body, then a paritaire jury
    page.get_by_role("navigation", name="Registre").get_by_role("link", name="Jurys et membres").click()
    for first, last, college, link in (
        ("Anne", "Martin", "employer", ("#id_m-organisations", str(org_a))),
        ("Bruno", "Petit", "employee", ("#id_m-bodies", str(body))),
    ):
        page.get_by_label("Prénom").fill(first)
        page.locator("#id_m-last_name").fill(last)
        page.get_by_label("Collège").select_option(college)
        page.locator(link[0]).select_option(label=link[1])
        page.get_by_role("button", name="Ajouter le membre").click()
        page.get_by_text("Membre de jury enregistré.").wait_for()
    page.get_by_label("Nom du jury").fill("Jury Auvergne-Rhône-Alpes")
    page.locator("#id_j-members").select_option(label="Anne Martin")
    page.get_by_role("button", name="Créer le jury").click()
    assert "au moins un membre de chaque collège" in page.locator("#id_j-members_error").inner_text()  # R11
    page.locator("#id_j-members").select_option(label=["Anne Martin", "Bruno Petit"])
    page.get_by_role("button", name="Créer le jury").click()
    page.get_by_text("Jury paritaire créé.").wait_for()
    check_page(page, "register-04-juries")
    jury = Jury.objects.get(name="Jury Auvergne-Rhône-Alpes")
    assert sorted(m.last_name for m in jury.members.all()) == ["Martin", "Petit"]
    petit = jury.members.get(last_name="Petit")
    assert list(petit.training_bodies.all()) == [body]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "register.establishment.created",
        "register.habilitation.granted",
        "register.training_body.created",
        "register.jury_member.created",
        "register.jury.created",
    } <= actions
    context.close()


@pytest.mark.db
@pytest.mark.django_db
def test_an_analyst_reads_the_pages_but_cannot_decide(org_a: Any) -> None:
    analyst = signed_in("analyst")
    page = analyst.get("/federation/registre/etablissements/?q=test-alpha")
    assert page.status_code == 200
    assert "Enregistrer un établissement" not in page.content.decode()
    assert org_a.name in page.content.decode()
    establishment = Establishment.objects.filter(organisation=org_a).first()
    assert establishment is not None
    detail = analyst.get(f"/federation/registre/etablissements/{establishment.pk}/")
    assert detail.status_code == 200 and "Historique des décisions" in detail.content.decode()
    habilitation = Habilitation.objects.filter(establishment=establishment).first()
    assert habilitation is not None
    refused = analyst.post(
        f"/federation/registre/etablissements/{establishment.pk}/",
        {
            "form": "decide",
            "habilitation": habilitation.pk,
            f"d{habilitation.pk}-status": "withdrawn",
            f"d{habilitation.pk}-reason": "x",
        },
    )
    assert refused.status_code == 403
    habilitation.refresh_from_db()
    assert habilitation.status == "granted"
    for url in ("organismes-de-formation/", "jurys/", "a-traiter/"):
        assert analyst.get(f"/federation/registre/{url}").status_code == 200


@pytest.mark.db
@pytest.mark.django_db
def test_a_suspension_without_reason_is_refused_in_french(org_a: Any) -> None:
    admin = signed_in("federation_admin")
    habilitation = Habilitation.objects.filter(establishment__organisation=org_a).first()
    assert habilitation is not None
    url = f"/federation/registre/etablissements/{habilitation.establishment_id}/"
    response = admin.post(
        url,
        {"form": "decide", "habilitation": habilitation.pk, f"d{habilitation.pk}-status": "suspended"},
        follow=True,
    )
    assert "Le motif est obligatoire pour une suspension ou un retrait." in response.content.decode()
    habilitation.refresh_from_db()
    assert habilitation.status == "granted"
    response = admin.post(
        url,
        {
            "form": "decide",
            "habilitation": habilitation.pk,
            f"d{habilitation.pk}-status": "suspended",
            f"d{habilitation.pk}-reason": "Audit Qualiopi défavorable",
        },
        follow=True,
    )
    assert "Décision enregistrée." in response.content.decode()
    habilitation.refresh_from_db()
    assert habilitation.status == "suspended"
    assert habilitation.events.last().reason == "Audit Qualiopi défavorable"  # type: ignore[union-attr]


def test_anonymous_people_are_sent_to_the_login_page(client: Any, db: None) -> None:
    response = client.get("/federation/registre/etablissements/", HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.db
@pytest.mark.django_db
def test_an_admin_edits_a_members_links_and_it_is_audited(jury: Any) -> None:
    from clea_tenants import training_bodies

    body = training_bodies.create("GRETA Lyon", luhn_siret("6868686800001"), "84")
    member = jury.employers[0]
    admin = signed_in("federation_admin")
    page = admin.get(f"/federation/registre/jurys/membres/{member.pk}/")
    assert page.status_code == 200 and "Liens (indépendance, règle R11)" in page.content.decode()
    done = admin.post(f"/federation/registre/jurys/membres/{member.pk}/", {"bodies": [body.pk], "active": "on"})
    assert done.status_code == 302
    assert list(member.training_bodies.all()) == [body]
    assert AuditEntry.objects.filter(
        action="register.jury_member.updated", object_ref=f"jury-member:{member.pk}"
    ).exists()
    analyst = signed_in("analyst")
    assert analyst.post(f"/federation/registre/jurys/membres/{member.pk}/", {"active": ""}).status_code == 403
