"""A jury member deliberates and approves the minutes in a real chromium, on the federation's host.

The federation is the bare base domain (``clea.test`` in the test settings): chromium maps it to the live
server's loopback address (``--host-resolver-rules``), so the request reaches the public schema as in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.certification.conftest import JuryFixture, plan_session
from tests.fixtures.browser import chromium
from tests.fixtures.tenants import ADMIN_PASSWORD
from tests.web.conftest import check_page

from clea.certification import sessions
from clea.certification.models import JurySession, JurySubmission

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


@pytest.fixture(scope="module")
def federation_browser() -> Iterator[Any]:
    with chromium((f"--host-resolver-rules=MAP {settings.CLEA_BASE_DOMAIN} 127.0.0.1",)) as launched:
        yield launched


def totp_code(device: Any) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def test_jury_member_deliberates_and_approves_the_minutes(
    live_server: Any,
    federation_browser: Any,
    federation_client: Any,
    jury: JuryFixture,
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
) -> None:
    session = plan_session(federation_client, jury)
    certified, refused = submit_file(org_a, "Admise"), submit_file(org_a, "Recalée")
    sessions.assign(session, [certified.pk, refused.pk])
    chair, colleague = jury.employers[0], jury.employees[0]
    port = int(live_server.url.rsplit(":", 1)[1])
    base = f"http://{settings.CLEA_BASE_DOMAIN}:{port}"

    device = TOTPDevice.objects.create(user=chair.user, name="téléphone", confirmed=True)
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/jury/")
    assert "/connexion/" in page.url
    assert chair.user is not None
    page.get_by_label("Identifiant (courriel)").fill(chair.user.username)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(totp_code(device))  # jury members sign in with a second factor
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes sessions de jury").wait_for()
    page.get_by_role("link", name=session.starts_at.astimezone().strftime("%d/%m/%Y")).first.click()

    # only the snapshot: the name, mastery per domain, the organisations
    assert page.get_by_role("heading", name="Léa Admise").is_visible()
    assert page.get_by_text("Organisme test-alpha (test-alpha)").first.is_visible()
    check_page(page, "jury-01-session")

    page.get_by_label(f"{colleague.name} — Collège salariés").check()
    assert page.get_by_label(f"{chair.name} — Collège employeurs").is_checked()  # the signed-in member, present
    page.locator(f"input[name=outcome_{certified.pk}][value=certified]").check()
    page.locator(f"input[name=outcome_{refused.pk}][value=refused]").check()
    page.get_by_role("button", name="Enregistrer la délibération").click()
    page.wait_for_load_state()
    assert page.locator(f"#id_reasons_{refused.pk}_error").inner_text().strip() == "Un refus doit être motivé."  # R12

    page.locator(f"input[name=outcome_{certified.pk}][value=certified]").check()
    page.locator(f"input[name=outcome_{refused.pk}][value=refused]").check()
    page.locator(f"textarea[name=reasons_{refused.pk}]").fill("Preuves du domaine 4 insuffisantes.")
    page.get_by_role("button", name="Enregistrer la délibération").click()
    page.get_by_text("Délibération enregistrée").wait_for()
    certified.refresh_from_db()
    assert certified.status == "certified"
    assert page.get_by_role("cell", name=certified.certificate_number).is_visible()

    page.get_by_role("button", name="J'approuve le procès-verbal").click()
    page.get_by_text("Votre approbation du procès-verbal est enregistrée.").wait_for()
    assert "provisoire" in page.locator("#minutes-status").inner_text()
    check_page(page, "jury-02-proces-verbal")

    sessions.approve_minutes(session, colleague)  # the other member present approves too
    page.reload()
    assert "définitif" in page.locator("#minutes-status").inner_text()
    assert JurySession.objects.get(pk=session.pk).status == "closed"
    context.close()
