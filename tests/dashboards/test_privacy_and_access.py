"""No personal data in the public tables; who sees which figures (API, pages, CSV); the rebuild command."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from tests.dashboards.conftest import PLANS
from tests.fixtures.tenants import make_user, token_for
from tests.web.conftest import TenantClient

from clea.dashboards.models import RolledFile, Rollup
from clea.facts.models import JourneyFact
from clea.journey.models import Candidate, CandidateFileRecord

pytestmark = pytest.mark.db

PUBLIC_TABLES = (JourneyFact._meta.db_table, Rollup._meta.db_table, RolledFile._meta.db_table)
FORBIDDEN_COLUMN = re.compile(r"name|email|mail|phone|birth|address|comment|reason|prescriber_name|certificate")


def test_public_tables_have_no_personal_columns_nor_personal_values(journeys: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = ANY(%s)",
            [list(PUBLIC_TABLES)],
        )
        columns = cursor.fetchall()
    assert {t for t, _, _ in columns} == set(PUBLIC_TABLES)
    assert not [(t, c) for t, c, _ in columns if FORBIDDEN_COLUMN.search(c)]

    personal: set[str] = set()
    for org in journeys:
        with schema_context(org.schema_name):
            for first, last, email, phone in Candidate.objects.values_list("first_name", "last_name", "email", "phone"):
                personal |= {first, last, email, *([phone] if phone else [])}
            personal |= set(
                CandidateFileRecord.objects.exclude(prescriber_name="").values_list("prescriber_name", flat=True)
            )
    assert len(personal) >= 3 * len(PLANS)
    text_types = ("character varying", "text", "jsonb", "json", "ARRAY")
    with connection.cursor() as cursor:
        for table, column, data_type in columns:
            if data_type not in text_types:
                continue
            cursor.execute(f'SELECT DISTINCT "{column}"::text FROM public.{table}')
            values = " ".join(str(v) for (v,) in cursor.fetchall()).lower()
            leaked = sorted(p for p in personal if p.lower() in values)
            assert not leaked, f"{table}.{column} holds {leaked}"


def _tenant_api(org: Any, role: str) -> Any:
    from tests.fixtures.tenants import TenantAPIClient

    user = make_user(org.schema_name, role)
    client = TenantAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(org.schema_name, user)}")
    client.defaults["HTTP_HOST"] = settings.CLEA_BASE_DOMAIN
    client.defaults["HTTP_X_CLEA_TENANT"] = org.slug
    return client


def test_an_organisation_sees_its_figures_and_national_aggregates_only(journeys: list[Any]) -> None:
    nord, sud, ouest = journeys
    body = _tenant_api(nord, "admin").get("/api/dashboard/").json()
    assert body["organisation"]["filters"]["organisation"] == nord.slug
    assert body["organisation"]["files"] == sum(1 for i, _ in PLANS if i == 0)
    assert body["national"]["files"] == len(PLANS) and body["national"]["filters"]["organisation"] == ""
    text = str(body)
    assert sud.slug not in text and ouest.slug not in text and sud.name not in text

    # another organisation's figures cannot be asked for: the parameter is not one of this endpoint's
    sneaky = _tenant_api(sud, "admin").get(f"/api/dashboard/?organisation={nord.slug}").json()
    assert sneaky["organisation"]["filters"]["organisation"] == sud.slug
    assert sneaky["organisation"]["files"] == sum(1 for i, _ in PLANS if i == 1)

    # B's token is unknown in A's schema, and a counsellor is not an administrator
    b_admin = _tenant_api(sud, "admin")
    b_admin.defaults["HTTP_X_CLEA_TENANT"] = nord.slug
    assert b_admin.get("/api/dashboard/").status_code == 401
    assert _tenant_api(nord, "counsellor").get("/api/dashboard/").status_code == 403
    # an organisation's token does not open the federation's API
    federation = _tenant_api(nord, "admin")
    del federation.defaults["HTTP_X_CLEA_TENANT"]
    assert federation.get("/api/federation/dashboard/").status_code == 401


def test_the_organisation_page_shows_its_own_and_national_figures(
    journeys: list[Any], web_client_for: Callable[..., TenantClient]
) -> None:
    nord, sud, _ = journeys
    page = web_client_for(nord, "admin").get("/tableau-de-bord/indicateurs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Indicateurs de l" in html and "National" in html and nord.name in html
    assert sud.name not in html and sud.slug not in html
    assert web_client_for(nord, "counsellor").get("/tableau-de-bord/indicateurs/").status_code == 403


def test_federation_api_filters_and_roles(journeys: list[Any], api_client_for: Callable[..., Any]) -> None:
    analyst = api_client_for(None, "analyst")
    national = analyst.get("/api/federation/dashboard/").json()
    assert national["files"] == len(PLANS) and national["source"] == "rollups"
    by_org = analyst.get("/api/federation/dashboard/?organisation=dash-sud&period_start=2025-01-01").json()
    assert by_org["files"] == sum(1 for i, _ in PLANS if i == 1)
    two = analyst.get("/api/federation/dashboard/?region=53&prescriber_type=region").json()
    assert two["source"] == "rollups" and two["files"] == 1  # a combination reads its own slice
    bad = analyst.get("/api/federation/dashboard/?region=99&period_start=2025-05-01&period_end=2025-01-01")
    assert bad.status_code == 400
    assert api_client_for(None, "jury_member").get("/api/federation/dashboard/").status_code == 403
    schema = analyst.get("/api/schema/?format=json").json()
    assert "/api/federation/dashboard/" in schema["paths"]


def test_federation_page_and_csv(journeys: list[Any]) -> None:
    client = TenantClient(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    assert client.get("/federation/tableau-de-bord/").status_code == 302  # to the federation's login
    client.force_login(make_user("public", "analyst"))
    page = client.get("/federation/tableau-de-bord/?region=53")
    assert page.status_code == 200 and "Tableau de bord national" in page.content.decode()
    csv = client.get("/federation/tableau-de-bord/indicateurs.csv?region=53")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "section;indicateur;clé;valeur" and "filtres;region;;53" in lines
    assert f"dossiers;dossiers;;{sum(1 for i, _ in PLANS if i == 2)}" in lines


def test_rebuild_facts_is_idempotent(journeys: list[Any]) -> None:
    before_facts = _facts()
    before = set(Rollup.objects.filter(n__gt=0).values_list("dimension", "member", "month", "metric", "key", "n"))
    JourneyFact.objects.filter(organisation=journeys[1].slug).delete()  # lost facts of one organisation
    call_command("rebuild_facts", "--schema", journeys[1].schema_name, stdout=io.StringIO())
    call_command("rebuild_facts", "--all", stdout=io.StringIO())
    call_command("rebuild_facts", "--all", stdout=io.StringIO())
    after_facts = _facts()
    after = set(Rollup.objects.values_list("dimension", "member", "month", "metric", "key", "n"))
    assert after_facts == before_facts and after == before


def _facts() -> set[tuple[str, ...]]:
    rows = JourneyFact.objects.values_list("organisation", "file_ref", "decision_id", "kind", "at", "detail")
    return {(o, f, str(d), k, at.isoformat(), str(sorted(detail.items()))) for o, f, d, k, at, detail in rows}
