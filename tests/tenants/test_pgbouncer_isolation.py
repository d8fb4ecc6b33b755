"""Tenants stay isolated behind PgBouncer in transaction pooling mode (issue 19 §4).

A real PgBouncer is started on a port of its own (``tests/fixtures/pgbouncer.py``), in front of the test
database, with 10 server connections. 200 concurrent clients of 20 organisations read their candidates
through the whole Django stack (routing, token authentication, DRF) and straight through the ORM, in and out
of transactions; every row they get must be their own organisation's.

The negative control shows what the test guards against: with django-tenants' own backend (a session-level
``SET search_path``), two clients sharing one server connection read each other's rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.fixtures.pgbouncer import require_pgbouncer, run_pgbouncer, through_pgbouncer
from tests.fixtures.tenants import ORG_A_SLUG, ORG_B_SLUG, TenantAPIClient, create_organisation, make_user, token_for

from clea.journey.models import Candidate
from clea_tenants.pooling import REQUEST_TRANSACTION_MIDDLEWARE
from clea_tenants.schemas import use_public_schema, use_tenant

TENANTS = 20
CLIENTS = 200
POOL_SIZE = 10
ROUNDS = 3
CANDIDATES_PER_TENANT = 3


@dataclass
class PooledTenant:
    organisation: Any
    token: str

    @property
    def slug(self) -> str:
        return str(self.organisation.slug)


@pytest.fixture(scope="module")
def pooled_tenants(test_organisations: None, django_db_blocker: Any) -> Iterator[list[PooledTenant]]:
    """20 organisations (A, B and 18 more, committed), each with candidates named after it and a counsellor."""
    require_pgbouncer()
    from clea_tenants.models import Organisation
    from clea_tenants.services import delete_organisation

    created: list[Any] = []
    tenants: list[PooledTenant] = []
    with django_db_blocker.unblock():
        use_public_schema()
        organisations = [Organisation.objects.get(slug=ORG_A_SLUG), Organisation.objects.get(slug=ORG_B_SLUG)]
        for index in range(TENANTS - len(organisations)):
            slug = f"pool-{index:02d}"
            if not Organisation.objects.filter(slug=slug).exists():
                created.append(create_organisation(slug, f"5{index:03d}000000001"))
            organisations.append(Organisation.objects.get(slug=slug))
        for organisation in organisations:
            with schema_context(organisation.schema_name):
                Candidate.objects.bulk_create(
                    Candidate(first_name=f"C{n}", last_name=organisation.slug) for n in range(CANDIDATES_PER_TENANT)
                )
            user = make_user(organisation.schema_name, "counsellor")
            tenants.append(PooledTenant(organisation, token_for(organisation.schema_name, user)))
        use_public_schema()
    yield tenants
    with django_db_blocker.unblock():
        use_public_schema()
        for organisation in organisations[:2]:
            with schema_context(organisation.schema_name):
                Candidate.objects.filter(last_name=organisation.slug, first_name__startswith="C").delete()
        for organisation in created:
            Organisation.objects.filter(pk=organisation.pk).update(last_export_at=timezone.now())
            organisation.refresh_from_db()
            delete_organisation(organisation)
        use_public_schema()


def _raw_connection(settings_dict: dict[str, Any], alias: str) -> Any:
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias)
    return wrapper


def _last_names(wrapper: Any) -> set[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT DISTINCT last_name FROM journey_candidate WHERE first_name LIKE 'C%%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("pooled_backend", [False, True], ids=["django-tenants-backend", "pooling-backend"])
def test_two_clients_on_one_server_connection(pooled_tenants: list[PooledTenant], pooled_backend: bool) -> None:
    """One server connection, two clients of two tenants taking turns: only the pooling backend keeps them apart."""
    first, second = pooled_tenants[0], pooled_tenants[1]
    with run_pgbouncer(connection.settings_dict, pool_size=1) as port:
        routed = through_pgbouncer(connection.settings_dict, port, pooled_backend=pooled_backend)
        client_a, client_b = _raw_connection(routed, "pgb-a"), _raw_connection(routed, "pgb-b")
        try:
            client_a.set_tenant(first.organisation)
            client_b.set_tenant(second.organisation)
            seen_a = _last_names(client_a)  # sets A's schema, on the only server connection
            seen_b = _last_names(client_b)  # sets B's schema, on that same server connection
            again_a = _last_names(client_a)  # django-tenants does not set it again: same connection, same tenant
            with _atomic(client_a):
                in_transaction_a = _last_names(client_a)
        finally:
            client_a.close()
            client_b.close()
    assert seen_a == {first.slug} and seen_b == {second.slug}
    if pooled_backend:
        assert again_a == {first.slug} and in_transaction_a == {first.slug}
    else:
        assert again_a == {second.slug}, "the negative control should read the other tenant's rows"


class _atomic:
    """``transaction.atomic`` on a connection that is not in ``connections`` (the raw wrappers above)."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def __enter__(self) -> None:
        self.wrapper.set_autocommit(False)

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.wrapper.commit()
        else:
            self.wrapper.rollback()
        self.wrapper.set_autocommit(True)


@dataclass
class Tally:
    rows: int = 0
    foreign_rows: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    slugs: frozenset[str] = frozenset()

    def record(self, own: str, names: list[str]) -> None:
        """Rows named after their organisation: our own count, another pooled tenant's is a leak."""
        with self.lock:
            self.rows += sum(1 for name in names if name == own)
            self.foreign_rows.extend((own, name) for name in names if name != own and name in self.slugs)

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def _client_session(tenant: PooledTenant, start: threading.Barrier, tally: Tally) -> None:
    client = TenantAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tenant.token}")
    client.defaults["HTTP_HOST"] = "clea.test"
    client.defaults["HTTP_X_CLEA_TENANT"] = tenant.slug
    try:
        use_public_schema()
        connection.ensure_connection()  # every client holds its PgBouncer connection from here on
        start.wait(timeout=120)
        for _round in range(ROUNDS):
            response = client.get("/api/candidates/")
            if response.status_code != 200:
                tally.fail(f"{tenant.slug}: HTTP {response.status_code} {response.content[:200]!r}")
            else:
                tally.record(tenant.slug, [row["last_name"] for row in response.json()["results"]])
            use_tenant(tenant.organisation)  # the ORM outside a transaction: one transaction per statement
            mine = Candidate.objects.filter(first_name__startswith="C")
            tally.record(tenant.slug, list(mine.values_list("last_name", flat=True)))
            with transaction.atomic():  # and inside one
                tally.record(tenant.slug, [c.last_name for c in mine.all()])
            use_public_schema()
    except Exception as exc:
        tally.fail(f"{tenant.slug}: {type(exc).__name__}: {exc}")
    finally:
        use_public_schema()
        connection.close()


def _server_connections(db: dict[str, Any], stop: threading.Event, peak: list[int]) -> None:
    """Sample how many sessions the test database has (PgBouncer's server connections and this test's own)."""
    with psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as monitor:
        while not stop.is_set():
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchone()
            peak.append(int(row[0]) if row else 0)
            time.sleep(0.05)


@pytest.mark.django_db
def test_200_clients_of_20_tenants_through_10_server_connections_see_only_their_rows(
    pooled_tenants: list[PooledTenant], settings: Any
) -> None:
    database = connection.settings_dict["NAME"]
    with run_pgbouncer(connection.settings_dict, pool_size=POOL_SIZE) as port:
        direct = dict(connections.settings["default"])
        connections.settings["default"] = through_pgbouncer(direct, port)
        settings.MIDDLEWARE = [REQUEST_TRANSACTION_MIDDLEWARE, *settings.MIDDLEWARE]
        tally = Tally(slugs=frozenset(t.slug for t in pooled_tenants))
        start, stop, samples = threading.Barrier(CLIENTS), threading.Event(), [0]
        before = _count_backends(database)
        monitor = threading.Thread(target=_server_connections, args=(direct, stop, samples))
        monitor.start()
        clients = [
            threading.Thread(target=_client_session, args=(pooled_tenants[i % TENANTS], start, tally))
            for i in range(CLIENTS)
        ]
        try:
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join(timeout=600)
        finally:
            stop.set()
            monitor.join()
            connections.settings["default"] = direct
    expected = CLIENTS * ROUNDS * 3 * CANDIDATES_PER_TENANT
    assert tally.errors == [], tally.errors[:5]
    assert not any(thread.is_alive() for thread in clients)
    assert tally.foreign_rows == [], f"{len(tally.foreign_rows)} cross-tenant rows, e.g. {tally.foreign_rows[:5]}"
    assert tally.rows == expected
    through_pooler = max(samples) - before
    assert 1 <= through_pooler <= POOL_SIZE, (before, max(samples))


def _count_backends(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
            [database],
        )
        return int(cursor.fetchone()[0])
