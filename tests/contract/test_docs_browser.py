"""Issue 17 §6: Swagger UI and ReDoc served locally (drf-spectacular-sidecar), under the CSP, on the federation
host and an organisation's host; a real browser opens them and finds the operations listed, with no CSP
violation and no request leaving the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from tests.fixtures.browser import chromium

pytestmark = pytest.mark.django_db(transaction=True)
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    base = settings.CLEA_BASE_DOMAIN  # the test hosts, resolved to the loopback by Chromium itself
    with chromium((f"--host-resolver-rules=MAP {base} 127.0.0.1, MAP *.{base} 127.0.0.1",)) as launched:
        yield launched


def test_docs_pages_are_served_without_a_cdn(org_a: Any, api_client_for: Any) -> None:
    client = api_client_for(org_a, "admin", via="host")
    page = client.get("/api/docs/")
    assert page.status_code == 200 and b"cdn.jsdelivr" not in page.content and b"<style>" not in page.content
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in page.content
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200 and b"fonts.googleapis" not in redoc.content
    assert "script-src 'self'" in page["Content-Security-Policy"]


@pytest.mark.parametrize("where", ["federation", "organisation"])
def test_browser_lists_the_operations(live_server: Any, browser: Any, org_a: Any, where: str) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    host = settings.CLEA_BASE_DOMAIN if where == "federation" else f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}"
    page = browser.new_page()
    violations: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if f"{host}:{port}" not in r.url else None)
    page.goto(f"http://{host}:{port}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() > 5
    page.goto(f"http://{host}:{port}/api/redoc/")
    page.wait_for_selector("[data-section-id^='tag/'], [data-section-id^='operation/']", timeout=30_000)
    # ReDoc's bundle names its "powered by" logo on its CDN: the CSP blocks it (that is the policy working);
    # nothing else may be refused or leave the server
    violations = [v for v in violations if REDOC_LOGO not in v]
    outside = [u for u in outside if u != REDOC_LOGO]
    assert violations == [] and outside == [], (violations, outside)
    page.close()
