"""Finding an organisation (#14 §2): department and postcode through the register's establishments in force,
each establishment's address and contact, and each organisation's next collective sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from tests.fixtures.tenants import make_user
from tests.prescribers.conftest import PrescriberFixture

from clea.collective.models import CollectiveSession
from clea.prescribers import services
from clea.prescribers.geography import establishments_in_force
from clea.prescribers.sessions import next_sessions
from clea.register import services as register
from clea_tenants.models import Establishment, Habilitation, HabilitationStatus, Programme

pytestmark = [pytest.mark.db]

URL = "/api/prescriber/organisations/"


def establishment(org: Any, siret: str, postcode: str, department: str, region: str, **habilitation: Any) -> Any:
    place = Establishment.objects.create(
        organisation=org,
        siret=siret,
        name=f"{org.name} — {postcode}",
        address="12 rue de la Paix",
        postcode=postcode,
        city="Ville",
        department=department,
        region=region,
    )
    today = timezone.localdate()
    Habilitation.objects.create(
        establishment=place,
        programme=habilitation.get("programme", Programme.CLEA),
        valid_from=habilitation.get("valid_from", today - timedelta(days=30)),
        valid_to=habilitation.get("valid_to", today + timedelta(days=300)),
        qualiopi_expires_on=habilitation.get("qualiopi_expires_on", today + timedelta(days=300)),
        status=habilitation.get("status", HabilitationStatus.GRANTED),
    )
    return place


@pytest.fixture
def places(db: None, org_a: Any, org_b: Any) -> None:
    """Org A in Lyon (69003, in force) and Paris (75011, in force); org B in Lille (59000, in force), in
    Marseille (13001) but withdrawn, in Nantes (44000) but its Qualiopi certificate expired."""
    yesterday = timezone.localdate() - timedelta(days=1)
    establishment(org_a, "73282932000074", "69003", "69", "84")
    establishment(org_a, "40483304800022", "75011", "75", "11")
    establishment(org_b, "55210055400013", "59000", "59", "32")
    establishment(org_b, "38012986646852", "13001", "13", "93", status=HabilitationStatus.WITHDRAWN)
    establishment(org_b, "44306184100047", "44000", "44", "52", qualiopi_expires_on=yesterday)


def session(org: Any, on: date, starts: str, place: str, **extra: Any) -> CollectiveSession:
    with schema_context(org.schema_name):
        return CollectiveSession.objects.create(
            on=on,
            starts_at=time.fromisoformat(starts),
            ends_at=time.fromisoformat("17:00"),
            place=place,
            capacity=extra.pop("capacity", 10),
            contact="Mme Durand, 06 12 34 56 78",
            video_link=extra.pop("video_link", ""),
            created_by=make_user(org.schema_name, "counsellor"),
            **extra,
        )


def names(p: PrescriberFixture, **query: str) -> set[str]:
    response = p.client.get(URL, query)
    assert response.status_code == 200, response.content
    return {o["name"] for o in response.json()}


def test_a_department_or_a_postcode_finds_organisations_with_an_establishment_in_force_there(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, org_b: Any, places: None
) -> None:
    p = prescriber()
    assert org_a.name in names(p, department="69") and org_b.name not in names(p, department="69")
    assert org_a.name in names(p, department="75") and org_b.name in names(p, department="59")
    assert org_a.name in names(p, postcode="69003") and org_b.name not in names(p, postcode="69003")
    assert names(p, postcode="69008") & {org_a.name, org_b.name} == set()  # same department, no establishment
    assert names(p, department="22") & {org_a.name, org_b.name} == set()  # no establishment in Côtes-d'Armor
    assert org_b.name not in names(p, department="13")  # withdrawn
    assert org_b.name not in names(p, postcode="44000")  # Qualiopi certificate expired
    assert org_a.name in names(p, department="69", branch="btp") and names(p, department="59", branch="btp") == set()
    assert names(p, postcode="00000") == set()

    row = next(o for o in p.client.get(URL, {"department": "69"}).json() if o["name"] == org_a.name)
    assert [(e["postcode"], e["address"], e["contact_email"]) for e in row["establishments"]] == [
        ("69003", "12 rue de la Paix", org_a.contact_email)
    ]
    everywhere = next(o for o in p.client.get(URL).json() if o["name"] == org_a.name)
    assert {"69003", "75011"} <= {e["postcode"] for e in everywhere["establishments"]}


def test_the_search_lists_the_same_establishments_as_the_register(org_a: Any, org_b: Any, places: None) -> None:
    for department, postcode in (("", ""), ("69", ""), ("", "59000"), ("13", ""), ("", "44000")):
        ours = {e.pk for e in establishments_in_force(department=department, postcode=postcode)}
        theirs = {e.pk for e in register.find_establishments(department=department or None, postcode=postcode or None)}
        assert ours == theirs


def test_next_sessions_are_shown_future_only_without_personal_data_and_never_mixed(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, org_b: Any, places: None
) -> None:
    today = timezone.localdate()
    session(org_a, today - timedelta(days=2), "09:00", "Salle passée")
    session(org_a, today + timedelta(days=3), "09:00", "Salle A1", modality="BTP", capacity=8)
    session(org_a, today + timedelta(days=1), "14:00", "", video_link="https://visio.example/abc")
    for days in (5, 6, 7):
        session(org_a, today + timedelta(days=days), "09:00", f"Salle J+{days}")
    session(org_b, today + timedelta(days=2), "10:00", "Salle de B")

    p = prescriber()
    rows = {o["name"]: o for o in p.client.get(URL).json()}
    shown = rows[org_a.name]["next_sessions"]
    assert [s["on"] for s in shown] == [str(today + timedelta(days=d)) for d in (1, 3, 5)]  # the next three
    assert shown[0] == {
        "on": str(today + timedelta(days=1)),
        "starts_at": "14:00",
        "ends_at": "17:00",
        "place": "",
        "remote": True,
        "modality": "",
        "seats_left": 10,
    }
    assert shown[1]["place"] == "Salle A1" and shown[1]["modality"] == "BTP" and shown[1]["seats_left"] == 8
    body = p.client.get(URL).content.decode()
    assert "Salle passée" not in body and "Durand" not in body and "visio.example" not in body
    assert [s["place"] for s in rows[org_b.name]["next_sessions"]] == ["Salle de B"]
    assert "Salle de B" not in {s["place"] for s in shown}

    page = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    page.force_login(p.member.user)
    html = page.get("/prescripteur/organismes/", {"department": "69"}).content.decode()
    assert "Salle A1" in html and "Salle passée" not in html and "Salle de B" not in html
    assert "12 rue de la Paix" in html and "69003" in html and "Durand" not in html


def test_a_session_of_today_already_started_is_not_shown(db: None, org_a: Any) -> None:
    today = timezone.localdate()
    session(org_a, today, "08:00", "Ce matin")
    session(org_a, today, "18:00", "Ce soir")
    noon = timezone.make_aware(datetime.combine(today, time(12, 0)))
    assert [s.place for s in next_sessions(org_a.schema_name, now=noon)] == ["Ce soir"]


def test_the_search_runs_one_sessions_query_per_organisation_and_no_more(org_a: Any, org_b: Any, places: None) -> None:
    session(org_a, timezone.localdate() + timedelta(days=1), "09:00", "Salle A")
    services.search_organisations()  # warm caches (content types, tenants)
    with CaptureQueriesContext(connection) as few:
        found = services.search_organisations()
    organisations = len(found)
    establishment_rows = sum(len(f.establishments) for f in found)
    establishment(org_a, "90120000000017", "69007", "69", "84")  # one more establishment: no more queries
    with CaptureQueriesContext(connection) as more:
        found_again = services.search_organisations()
    assert sum(len(f.establishments) for f in found_again) == establishment_rows + 1

    def selects(captured: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]

    assert len([sql for sql in selects(few) if "collective" in sql]) == organisations
    assert len(selects(few)) == organisations + 4  # organisations, accreditations, branches, establishments
    assert len(selects(more)) == len(selects(few))


def test_the_search_response_follows_the_federation_openapi_schema(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, places: None
) -> None:
    """The prescriber role is not among schemathesis' roles: the search's response is checked here."""
    session(org_a, timezone.localdate() + timedelta(days=1), "09:30", "Salle A1")
    schema: dict[str, Any] = SchemaGenerator(urlconf="clea.urls_public").get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    response_schema = schema["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    rows = prescriber().client.get(URL).json()
    assert any(row["establishments"] and row["next_sessions"] for row in rows)
    document = {**response_schema, "components": schema["components"]}  # "#/components/…" resolves in it
    Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(rows)
