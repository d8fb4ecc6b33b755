"""A federation admin publishes a referential version with its diff, then downloads an organisation's
statement of acts, in a real chromium on the federation's host; axe-core checks every page."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from tests.fixtures.browser import chromium
from tests.fixtures.otp import force_login_verified
from tests.fixtures.tenants import make_user
from tests.publishing.conftest import DATA, dump
from tests.web.conftest import Site, check_page, login

from clea.kernel.fees import ActKind
from clea.publishing import fees
from clea.referentials import registry

pytestmark = [pytest.mark.browser, pytest.mark.db]


@pytest.fixture(scope="module")
def federation_browser() -> Iterator[Any]:
    with chromium((f"--host-resolver-rules=MAP {settings.CLEA_BASE_DOMAIN} 127.0.0.1",)) as launched:
        yield launched


def test_publish_a_version_and_download_a_statement(
    live_server: Any, federation_browser: Any, org_a: Any, socle_document: dict[str, Any], tmp_path: Path
) -> None:
    fees.add_tariff(ActKind.INITIAL_EVALUATION, Decimal("20"), date(2019, 1, 1), Decimal("20"), None)
    admin = make_user("public", "federation_admin")
    client = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    force_login_verified(client, admin)
    port = int(live_server.url.rsplit(":", 1)[1])
    base = f"http://{settings.CLEA_BASE_DOMAIN}:{port}"
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "domain": settings.CLEA_BASE_DOMAIN, "path": "/"}]
    )  # fmt: skip
    page = context.new_page()

    page.goto(f"{base}/federation/referentiels/")
    page.get_by_role("heading", name="Versions du référentiel", level=1).wait_for()
    check_page(page, "publishing-01-versions")

    page.get_by_role("link", name="Publier une nouvelle version").click()
    six = copy.deepcopy(socle_document)
    del six["domains"][6]
    (tmp_path / "six.yaml").write_text(dump(six), encoding="utf-8")
    page.get_by_label("Fichier du référentiel (YAML ou CSV)").set_input_files(str(tmp_path / "six.yaml"))
    page.get_by_role("button", name="Vérifier et comparer").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "doit compter 7 domaines : ce fichier en compte 6" in alert.inner_text()
    check_page(page, "publishing-02-refused")

    page.get_by_label("Fichier du référentiel (YAML ou CSV)").set_input_files(str(DATA / "clea-socle-proposed.yaml"))
    page.get_by_role("button", name="Vérifier et comparer").click()
    page.get_by_role("heading", name="Aperçu de la nouvelle version").wait_for()
    assert "22 changements de notes ou de sources" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("rowheader", name="sous-domaine 1.1 · note").is_visible()
    check_page(page, "publishing-03-diff")
    page.get_by_role("button", name="Publier cette version").click()
    page.get_by_text("publiée : les nouveaux dossiers l'utilisent").wait_for()
    assert registry.default_referential().identity in page.url.replace("%40", "@")
    check_page(page, "publishing-04-version")

    page.get_by_role("link", name="Actes et redevances").click()
    page.get_by_role("heading", name="Actes et redevances", level=1).wait_for()
    check_page(page, "publishing-05-fees")
    page.get_by_role("link", name=f"Voir le relevé {org_a.name}").click()
    page.get_by_role("heading", name=f"Relevé des actes — {org_a.name}").wait_for()
    check_page(page, "publishing-06-statement")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le relevé (PDF)").click()
    assert download.value.suggested_filename.startswith(f"releve-actes-{org_a.slug}-")
    context.close()


def test_an_organisation_reads_its_own_statement(live_server: Any, federation_browser: Any, org_a: Any) -> None:
    fees.add_tariff(ActKind.CERTIFICATE, Decimal("5"), date(2019, 1, 1), Decimal("20"), None)
    site = Site(org_a, live_server)
    context = federation_browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, site, site.user("admin"))
    page.get_by_role("link", name="Relevé des actes").click()
    page.get_by_role("heading", name=f"Relevé des actes — {org_a.name}").wait_for()
    assert page.get_by_role("cell", name="Aucun acte sur la période.").is_visible()
    check_page(page, "publishing-07-own-statement")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le relevé (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    context.close()
