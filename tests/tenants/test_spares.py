"""The pool of spare schemas (issue 19 §6): cloned ahead, tagged with the template's fingerprint, taken by
renaming inside the provisioning transaction, refilled by a task, never taken once the migrations changed.

Everything happens in the test's transaction (PostgreSQL DDL is transactional): nothing outlives a test.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context
from tests.fixtures.tenants import ADMIN_PASSWORD, luhn_siret

from clea.journey.models import Candidate
from clea.outbox.models import OutboxMessage
from clea_tenants import spares
from clea_tenants.provisioning import provision_organisation
from clea_tenants.template import migration_fingerprint

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def pool(settings: Any, tenant_template: None) -> Any:
    settings.CLEA_SPARE_SCHEMAS = 2
    spares.drop_all()
    return spares


def _provision(slug: str) -> Any:
    return provision_organisation(
        name=f"Organisme {slug}",
        slug=slug,
        siret=luhn_siret("5555555500001"),
        region="84",
        contact_email=f"contact@{slug}.example",
        admin_email=f"admin@{slug}.example",
        admin_password=ADMIN_PASSWORD,
    )


def _tag(schema: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", [schema])
        row = cursor.fetchone()
    return row[0] if row else None


def test_refill_clones_tagged_spares_and_provisioning_takes_one(pool: Any) -> None:
    assert pool.refill() == {"dropped": 0, "created": 2, "spares": 2}
    ready = pool.spares(migration_fingerprint())
    assert len(ready) == 2 and all(_tag(name) == f"clea-spare:{migration_fingerprint()}" for name in ready)
    assert pool.refill() == {"dropped": 0, "created": 0, "spares": 2}  # already full

    outbox_before = OutboxMessage.objects.filter(task_name=spares.REFILL_TASK).count()
    organisation = _provision("spare-taker")
    left = pool.spares()
    assert len(left) == 1 and left[0] in ready  # one spare renamed, the other still waiting
    assert _tag(organisation.schema_name) is None
    with schema_context(organisation.schema_name):  # a whole tenant schema, usable at once
        Candidate.objects.create(first_name="Léa", last_name="Martin")
        assert Candidate.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name=spares.REFILL_TASK).count() == outbox_before + 1
    assert pool.refill()["created"] == 1


def test_a_failed_provisioning_gives_the_spare_back(pool: Any) -> None:
    pool.refill(1)
    ready = pool.spares()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert pool.take_spare("org_never_committed")
        raise RuntimeError("provisioning failed after taking the spare")
    assert pool.spares() == ready


def test_stale_spares_are_never_taken_and_the_refill_drops_them(pool: Any) -> None:
    pool.refill(1)
    (stale,) = pool.spares()
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON SCHEMA \"{stale}\" IS 'clea-spare:migrations-of-yesterday'")
    organisation = _provision("spare-stale")
    assert organisation.schema_name != stale and pool.spares() == [stale]  # cloned on demand instead
    assert pool.refill(1) == {"dropped": 1, "created": 1, "spares": 1}
    assert stale not in pool.spares()


def test_an_empty_or_disabled_pool_clones_as_before(pool: Any, settings: Any) -> None:
    assert not pool.take_spare("org_nothing_to_take")
    pool.refill(1)
    settings.CLEA_SPARE_SCHEMAS = 0
    assert not pool.take_spare("org_pool_disabled") and len(pool.spares()) == 1
