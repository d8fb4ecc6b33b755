"""The prescriber's pages (federation host), the federation's admin page and the organisation's inbox page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import tablib
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from import_export.formats import base_formats
from tests.fixtures.tenants import make_user
from tests.prescribers.conftest import PrescriberFixture
from tests.web.conftest import TenantClient

from clea.prescribers.bulk import COLUMNS
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import Referral

pytestmark = [pytest.mark.db]


def browser_of(p: PrescriberFixture) -> Client:
    client = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    client.force_login(p.member.user)
    return client


def refer_form(org: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": org.pk,
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@example.test",
        "consent": "on",
        "share_results": "on",
        "consent_given_on": str(date.today()),
        "consent_wording": "J'accepte d'être orientée.",
        "message": "",
        **extra,
    }


def test_every_prescriber_page_answers_and_a_referral_is_made_from_the_form(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, run_followups: Callable[..., list[str]]
) -> None:
    p = prescriber()
    web = browser_of(p)
    for url in (
        "/prescripteur/",
        "/prescripteur/organismes/?region=11",
        "/prescripteur/orienter/",
        "/prescripteur/import/",
        "/prescripteur/cohortes/",
        "/prescripteur/chiffres/",
        "/prescripteur/equipe/",
    ):
        assert web.get(url).status_code == 200, url
    assert org_a.name in web.get("/prescripteur/organismes/?branch=btp").content.decode()
    no_consent = web.post("/prescripteur/orienter/", refer_form(org_a, consent=""))
    assert no_consent.status_code == 400 and "Sans le consentement" in no_consent.content.decode()
    assert not Referral.objects.exists()
    response = web.post("/prescripteur/orienter/", refer_form(org_a))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_wording == "J'accepte d'être orientée." and referral.consent_given_on == date.today()
    assert "Orientation envoyée" in web.get(response["Location"]).content.decode()
    csv_text = web.get("/prescripteur/chiffres/orientations.csv").content.decode("utf-8-sig")
    assert "Martin" in csv_text and "Orientation envoyée" in csv_text
    for extension in ("csv", "xlsx", "ods"):
        assert web.get(f"/prescripteur/import/modele.{extension}").status_code == 200
    # Another prescriber: 404 on the referral, nothing in its lists.
    other = browser_of(prescriber("employer", "Entreprise Dupont"))
    assert other.get(f"/prescripteur/orientations/{referral.pk}/").status_code == 404
    assert "Martin" not in other.get("/prescripteur/").content.decode()
    assert "Martin" not in other.get("/prescripteur/chiffres/orientations.csv").content.decode("utf-8-sig")


def test_anonymous_and_other_roles(prescriber: Callable[..., PrescriberFixture]) -> None:
    anonymous = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    response = anonymous.get("/prescripteur/")
    assert response.status_code == 302 and response["Location"].startswith("/prescripteur/connexion/")
    assert anonymous.get("/prescripteur/connexion/").status_code == 200
    analyst = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    analyst.force_login(make_user("public", "analyst"))
    assert analyst.get("/prescripteur/").status_code == 403
    assert analyst.get("/prescripteur/federation/").status_code == 403


def test_the_bulk_page_reports_the_bad_row(prescriber: Callable[..., PrescriberFixture], org_a: Any) -> None:
    web = browser_of(prescriber())
    dataset = tablib.Dataset(headers=list(COLUMNS))
    dataset.append(["Ana", "A", "", "", date.today().strftime("%d/%m/%Y"), "oui"])
    dataset.append(["", "B", "", "", date.today().strftime("%d/%m/%Y"), "oui"])
    upload = SimpleUploadedFile("groupe.xlsx", base_formats.XLSX().export_data(dataset))
    response = web.post("/prescripteur/import/", {"organisation": org_a.pk, "file": upload, "consent_wording": "Oui."})
    assert response.status_code == 400
    assert "Ligne 3 : le prénom manque." in response.content.decode()
    assert not Referral.objects.exists()


def test_the_inbox_page_accepts_and_declines(
    prescriber: Callable[..., PrescriberFixture],
    org_a: Any,
    org_b: Any,
    run_followups: Callable[..., list[str]],
    web_client_for: Callable[..., TenantClient],
) -> None:
    web = browser_of(prescriber())
    web.post("/prescripteur/orienter/", refer_form(org_a, last_name="Accepte"))
    web.post("/prescripteur/orienter/", refer_form(org_a, last_name="Decline"))
    run_followups()
    counsellor = web_client_for(org_a, "counsellor")
    page = counsellor.get("/orientations/").content.decode()
    assert "Léa Accepte" in page and "France Travail Lyon" in page
    assert "Léa Accepte" not in web_client_for(org_b, "counsellor").get("/orientations/").content.decode()
    with schema_context(org_a.schema_name):
        accept = IncomingReferral.objects.get(last_name="Accepte").pk
        decline = IncomingReferral.objects.get(last_name="Decline").pk
    assert (
        web_client_for(org_b, "counsellor").post(f"/orientations/{accept}/reponse/", {"action": "accept"}).status_code
        == 404
    )
    response = counsellor.post(f"/orientations/{accept}/reponse/", {"action": "accept"})
    assert response.status_code == 302 and "/dossiers/" in response["Location"]
    counsellor.post(f"/orientations/{decline}/reponse/", {"action": "decline", "reason": "Complet."})
    assert Referral.objects.get(last_name="Decline").decline_reason == "Complet."
    assert Referral.objects.get(last_name="Accepte").stage == "welcomed"
    assert web_client_for(org_a, "trainer").get("/orientations/").status_code in (302, 403)


def test_cohort_registration_page(prescriber: Callable[..., PrescriberFixture], org_a: Any) -> None:
    p = prescriber("employer", "Entreprise Dupont")
    web = browser_of(p)
    assert web.post("/prescripteur/cohortes/", {"organisation": org_a.pk, "name": "Atelier"}).status_code == 302
    code = p.organisation.cohorts.get().code
    anonymous = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    assert anonymous.get(f"/prescripteur/cohorte/{code}/").status_code == 200
    body = {"first_name": "Ana", "last_name": "Salariée", "consent": "on", "consent_wording": "x"}
    assert "Inscription enregistrée" in anonymous.post(f"/prescripteur/cohorte/{code}/", body).content.decode()
    assert Referral.objects.get().cohort is not None
    assert anonymous.get("/prescripteur/cohorte/NOPE/").status_code == 404


def test_an_organisation_asks_for_an_account_and_waits_for_approval(run_followups: Callable[..., list[str]]) -> None:
    from clea.prescribers.models import PrescriberOrganisation

    anonymous = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    body = {
        "kind": "mission_locale",
        "name": "Mission locale de Lyon",
        "siret": "12345678901234",
        "region": "84",
        "contact_email": "ml@example.test",
        "admin_email": "dir@example.test",
    }
    bad = anonymous.post("/prescripteur/demande/", body)
    assert bad.status_code == 400 and "SIRET invalide" in bad.content.decode()
    assert not PrescriberOrganisation.objects.exists()
    done = anonymous.post("/prescripteur/demande/", {**body, "siret": ""})
    assert "Demande envoyée" in done.content.decode()
    assert PrescriberOrganisation.objects.get().status == "pending"
    assert run_followups() == []  # the invitation waits for the federation's approval


def test_the_federation_admin_creates_and_approves_prescriber_organisations(
    run_followups: Callable[..., list[str]],
) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clea.prescribers.models import PrescriberOrganisation

    admin = make_user("public", "federation_admin")
    web = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    web.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="téléphone", confirmed=True)
    session = web.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    body = {
        "kind": "opco",
        "name": "OPCO Construction",
        "siret": "",
        "region": "11",
        "contact_email": "opco@example.test",
        "admin_email": "chef@opco.example",
    }
    assert web.post("/prescripteur/federation/", body).status_code == 302
    assert PrescriberOrganisation.objects.get(name="OPCO Construction").status == "approved"
    pending = PrescriberOrganisation.objects.create(
        kind="region", name="Région Bretagne", region="53", contact_email="r@example.test"
    )
    page = web.get("/prescripteur/federation/").content.decode()
    assert "Région Bretagne" in page and "Valider" in page
    assert web.post("/prescripteur/federation/", {"approve": pending.pk}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved"
