"""The federation's national dashboard in a real chromium: filters, charts with text alternatives, CSV link;
screenshot under test-artifacts/screenshots/ and an axe-core check."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from tests.fixtures.tenants import make_user
from tests.web.conftest import check_page

from clea.dashboards.rollups import refresh_file
from clea.facts.services import publish

pytestmark = [pytest.mark.browser, pytest.mark.db]

JOURNEY: list[tuple[str, str, str, int, dict[str, str]]] = [
    ("welcomed", "", "referred", 0, {}),
    ("file_opened", "referred", "file_opened", 1, {}),
    ("initial_evaluation", "file_opened", "evaluated", 3, {"missing_subdomains": "3.1,7.2"}),
    ("training_path", "evaluated", "training", 5, {}),
    ("final_evaluation", "training", "ready_for_jury", 95, {}),
    ("submitted", "ready_for_jury", "submitted", 97, {}),
    ("jury_decision", "submitted", "certified", 120, {"outcome": "certified"}),
]


def publish_synthetic(orgs: list[Any], files_per_org: int = 6) -> None:
    """Facts as the tenants would publish them (pseudonyms only), walked to various steps."""
    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    for o, org in enumerate(orgs):
        branches = list(org.accreditations.values_list("branch__code", flat=True))
        for f in range(files_per_org):
            ref = str(1000 + f)
            steps = JOURNEY[: 2 + (f + o) % (len(JOURNEY) - 1)]
            for decision_id, (kind, before, after, days, detail) in enumerate(steps, start=1):
                if kind == "initial_evaluation" and f % 3 == 0:
                    after, detail = "ready_for_jury", {}
                    steps = [s for s in steps if s[0] not in ("training_path", "final_evaluation")]
                publish(
                    organisation=org.slug, region=org.region, branches=branches, candidate=str(uuid.uuid4()),
                    file_ref=ref, decision_id=decision_id, kind=kind, from_state=before, to_state=after,
                    at=start + timedelta(days=days + 7 * f), prescriber_type=("france_travail", "employer", "")[f % 3],
                    referential_id="CLEA@test", detail=detail,
                )  # fmt: skip
            refresh_file(org.slug, ref)


def test_federation_dashboard_in_a_browser(
    dash_orgs: list[Any], live_server: Any, new_page: Callable[..., Any], settings: LazySettings
) -> None:
    settings.CLEA_PUBLIC_HOSTS = frozenset({*settings.CLEA_PUBLIC_HOSTS, "localhost"})
    publish_synthetic(dash_orgs)
    analyst = make_user("public", "analyst")
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    port = int(live_server.url.rsplit(":", 1)[1])
    base = f"http://localhost:{port}"

    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "domain": "localhost", "path": "/"}]
    )  # fmt: skip
    page.goto(f"{base}/federation/tableau-de-bord/")
    assert page.get_by_role("heading", name="Tableau de bord national", level=1).is_visible()
    # stages, missing sub-domains, durations, reasons for leaving
    assert page.locator("svg[role=img] title").count() == 4
    funnel = page.get_by_role("img", name="Candidats par étape du parcours")
    assert "Certifié" in (funnel.locator("desc").text_content() or "")
    check_page(page, "dashboard-01-national")

    page.get_by_label("Région").select_option("53")
    page.get_by_label("Du mois de").fill("2025-01")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**region=53**")
    assert "Bretagne" in page.get_by_role("heading", name="Chiffres clés").inner_text()
    page.get_by_text("Voir les données du graphique en tableau").first.click()
    assert page.get_by_role("table").first.is_visible()
    check_page(page, "dashboard-02-bretagne")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter ces chiffres (CSV)").click()
    assert download.value.suggested_filename.startswith("clea-indicateurs-")
