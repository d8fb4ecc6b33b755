"""Web fixtures: a tenant-aware Django test client, and Playwright driving Debian's chromium.

Browser tests use pytest-django's ``live_server`` (hence ``transactional_db``: the server runs in another
thread and sees committed rows only). Each organisation is reached as ``<slug>.localhost:<port>``: Chromium
resolves ``*.localhost`` to the loopback, and a ``Domain`` row routes that host to the organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, chromium  # noqa: F401 - re-exported for other suites
from tests.fixtures.tenants import ADMIN_PASSWORD, make_user

from clea_tenants.schemas import use_public_schema

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


class TenantClient(Client):
    """A Django test client that puts the connection back on the public schema after each request."""

    def request(self, **request: Any) -> Any:
        try:
            return super().request(**request)
        finally:
            use_public_schema()


@pytest.fixture
def web_client_for(db: None) -> Iterator[Callable[..., TenantClient]]:
    """``web_client_for(org, role)``: a client on ``<slug>.<CLEA_BASE_DOMAIN>``, signed in with that role."""

    def build(org: Any, role: str | None = None, user: Any = None) -> TenantClient:
        client = TenantClient(HTTP_HOST=f"{org.slug}.{settings.CLEA_BASE_DOMAIN}")
        if user is None and role is not None:
            user = make_user(org.schema_name, role)
        if user is not None:
            with schema_context(org.schema_name):  # users and sessions live in the organisation's schema
                client.force_login(user)
            client.user = user  # type: ignore[attr-defined]
        return client

    yield build
    use_public_schema()


# --- browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def localhost_domain(org: Any) -> str:
    """Route ``<slug>.localhost`` to ``org`` (idempotent; the row is kept across tests)."""
    from clea_tenants.models import Domain

    host = f"{org.slug}.localhost"
    Domain.objects.get_or_create(domain=host, defaults={"tenant": org, "is_primary": False})
    return host


class Site:
    """One organisation as the browser sees it."""

    def __init__(self, org: Any, live_server: Any) -> None:
        self.org = org
        self.host = localhost_domain(org)
        self.port = int(live_server.url.rsplit(":", 1)[1])

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def user(self, role: str) -> Any:
        return make_user(self.org.schema_name, role)


@pytest.fixture
def site_for(live_server: Any) -> Callable[[Any], Site]:
    def build(org: Any) -> Site:
        return Site(org, live_server)

    return build


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(width=1280, height=900)``: a fresh browser context (own cookies and storage), in French."""
    contexts: list[Any] = []

    def build(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield build
    for context in contexts:
        context.close()


def login(page: Any, site: Site, user: Any, password: str = ADMIN_PASSWORD) -> None:
    page.goto(site.url("/connexion/"))
    page.get_by_label("Identifiant (courriel)").fill(user.username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def check_page(page: Any, name: str) -> None:
    """Screenshot the page, then fail on any serious or critical axe-core violation."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}" for v in bad]
    assert not bad, f"{name}: accessibility violations\n" + "\n".join(details)
