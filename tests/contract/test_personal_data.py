"""Issue 17 §8: erasure is driven by declared personal data, and leaves nothing behind.

* every text, date, JSON or file field of a model in an organisation's apps is declared personal or not
  (``clea.privacy.personal_data``): a new model or field holding personal data fails here until declared;
* every key of every decision detail a journey writes is declared;
* after erasure, the person's name, e-mail, birth date and prescriber's name are nowhere in the
  organisation's schema (every table, every text/JSON/date column) nor in the federation's public facts.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django_tenants.utils import schema_context
from tests.api.journey_helpers import all_but, initial_payload, open_payload

from clea.privacy.personal_data import DECISION_DETAIL_KEYS, NOT_PERSONAL, PERSONAL_FIELDS

pytestmark = pytest.mark.django_db
CHECKED_TYPES = (models.CharField, models.TextField, models.DateField, models.JSONField, models.FileField)
# Tenant apps outside the candidate's data: accounts and tokens (erased by the account step), the audit
# trail (references only, checked by the search below), sign-in attempts.
NOT_CANDIDATE_APPS = {"contenttypes", "auth", "sessions", "accounts", "authtoken", "audit", "axes"}


def _tenant_models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for app_name in settings.TENANT_APPS:
        config = next((c for c in apps.get_app_configs() if c.name == app_name), None)
        if config is None or config.label in NOT_CANDIDATE_APPS:
            continue
        found.extend(config.get_models())
    return found


def test_every_field_of_the_organisations_models_is_declared() -> None:
    undeclared = []
    for model in _tenant_models():
        label = model._meta.label
        personal = PERSONAL_FIELDS[label].fields if label in PERSONAL_FIELDS else frozenset()
        declared = personal | NOT_PERSONAL.get(label, frozenset())
        for field in model._meta.concrete_fields:
            if isinstance(field, CHECKED_TYPES) and field.name not in declared:
                undeclared.append(f"{label}.{field.name}")
    assert undeclared == [], f"declare these in clea/privacy/personal_data.py: {undeclared}"
    assert len(_tenant_models()) >= 10


NAME, FIRST, EMAIL = "Quillardière", "Zéphyrine", "zephyrine.q@example.test"
BIRTH, PRESCRIBER = "1987-03-14", "Agence Xylophone"


def _search(schema: str, needles: list[str]) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s AND "
            "data_type IN ('text', 'character varying', 'jsonb', 'json', 'date')",
            [schema],
        )
        columns = cursor.fetchall()
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text ILIKE %s', [f"%{needle}%"]
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{schema}.{table}.{column} holds {needle!r}")
    return hits


def test_after_erasure_the_person_is_nowhere(org_a: Any, api_client_for: Any) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    admin = api_client_for(org_a, "admin")
    body = counsellor.post(
        "/api/files/",
        {
            "candidate": {"first_name": FIRST, "last_name": NAME, "email": EMAIL, "birth_date": BIRTH},
            "referral": {
                "prescriber_type": "france_travail",
                "prescriber_name": PRESCRIBER,
                "referred_on": "2026-11-02",
            },
        },
        format="json",
    ).json()
    body = counsellor.post(f"/api/files/{body['id']}/open/", open_payload(body["version"]), format="json").json()
    body = counsellor.post(
        f"/api/files/{body['id']}/evaluations/", initial_payload(body["version"], all_but("7.2")), format="json"
    ).json()
    withdrawn = counsellor.post(
        f"/api/files/{body['id']}/withdraw/",
        {"version": body["version"], "reason": "other", "reason_detail": f"Départ de {FIRST}"},
        format="json",
    )
    assert withdrawn.status_code == 200, withdrawn.json()
    with schema_context(org_a.schema_name):
        from clea.journey.models import DecisionRecord

        keys = {key for detail in DecisionRecord.objects.values_list("detail", flat=True) for key in (detail or {})}
    assert keys - set(DECISION_DETAIL_KEYS) == set(), "declare these decision keys in personal_data.py"
    before = _search(org_a.schema_name, [NAME, EMAIL, PRESCRIBER])
    assert before, "the search must find the person before erasure (else it proves nothing)"

    erased = admin.post(f"/api/candidates/{body['candidate']['id']}/erase/", {}, format="json")
    assert erased.status_code == 200, erased.json()
    needles = [NAME, FIRST, EMAIL, BIRTH, PRESCRIBER]
    assert _search(org_a.schema_name, needles) == []
    assert _search("public", needles) == []  # the federation's facts, submissions, audit trail
    export = admin.get(f"/api/candidates/{body['candidate']['id']}/export/")
    assert not any(n.lower() in export.content.decode().lower() for n in needles)
