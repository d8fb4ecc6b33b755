"""The audit trail: decisions and file accesses are logged, appends are chained, rows cannot be changed,
tampering is found by ``verify_audit_trail``."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from clea.audit.anchors import anchor_schema, latest_anchor
from clea.audit.models import AuditEntry
from clea.audit.trail import GENESIS, append, verify_current_schema
from clea.tasks.audit import anchor_audit_trail

pytestmark = pytest.mark.django_db


def entries(schema: str, **filters: Any) -> list[AuditEntry]:
    with schema_context(schema):
        return list(AuditEntry.objects.filter(**filters).order_by("seq"))


def test_every_decision_is_in_the_trail_with_who_and_which_tenant(world_a: dict[str, Any], org_a: Any) -> None:
    from clea.journey.models import DecisionRecord

    with schema_context(org_a.schema_name):
        decisions = list(DecisionRecord.objects.filter(file_id=world_a["file"]).order_by("id"))
    logged = entries(org_a.schema_name, action="decision", object_ref=f"file:{world_a['file']}")
    assert [e.detail["decision"] for e in logged] == [d.pk for d in decisions]
    assert {e.schema_name for e in logged} == {org_a.schema_name}
    assert logged[0].actor_ref == f"user:{world_a['counsellor_user'].pk}" and logged[0].actor_role == "counsellor"


def test_reads_by_others_than_the_counsellor_are_logged(
    world_a: dict[str, Any], org_a: Any, api_client_for: Any
) -> None:
    file_id, ref = world_a["file"], f"file:{world_a['file']}"
    before = len(entries(org_a.schema_name, action="file.access"))
    world_a["counsellor"].get(f"/api/files/{file_id}/")  # the file's own counsellor: not logged
    assert len(entries(org_a.schema_name, action="file.access")) == before
    admin = api_client_for(org_a, "admin")
    assert admin.get(f"/api/files/{file_id}/").status_code == 200
    assert admin.get(f"/api/files/{file_id}/mastery/").status_code == 200
    assert admin.get(f"/api/evidence/{world_a['evidence']}/download/").status_code == 200
    logged = entries(org_a.schema_name, action="file.access")[before:]
    assert [(e.actor_ref, e.object_ref, e.detail["channel"]) for e in logged] == [
        (f"user:{admin.user.pk}", ref, "api.retrieve"),
        (f"user:{admin.user.pk}", ref, "api.mastery"),
        (f"user:{admin.user.pk}", f"evidence:{world_a['evidence']}", "api.evidence_download"),
    ]


def test_web_file_pages_are_logged(world_a: dict[str, Any], org_a: Any, web_client_for: Any) -> None:
    trainer = web_client_for(org_a, user=world_a["trainer_user"])
    assert trainer.get(f"/dossiers/{world_a['file']}/").status_code == 200
    assert trainer.get(f"/preuves/{world_a['evidence']}/").status_code == 200
    logged = entries(org_a.schema_name, action="file.access", actor_ref=f"user:{world_a['trainer_user'].pk}")
    assert [e.detail["channel"] for e in logged] == ["web.file", "web.evidence_download"]


def test_the_chain_holds_and_each_hash_covers_the_previous(world_a: dict[str, Any], org_a: Any) -> None:
    rows = entries(org_a.schema_name)
    assert rows[0].prev_hash == GENESIS or rows[0].seq > 1
    for previous, entry in itertools.pairwise(rows):
        assert entry.prev_hash == previous.hash and entry.seq == previous.seq + 1
    with schema_context(org_a.schema_name):
        assert verify_current_schema().ok
    call_command("verify_audit_trail", schema=org_a.schema_name)
    call_command("verify_audit_trail", all=True)


@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET action = 'x'", "DELETE FROM audit_auditentry"])
def test_the_database_refuses_to_change_or_delete_entries(org_a: Any, statement: str) -> None:
    with schema_context(org_a.schema_name):
        append("test.entry", actor_ref="system:test", detail={"n": 1})
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def test_truncate_is_refused_without_the_test_switch(org_a: Any) -> None:
    with schema_context(org_a.schema_name):
        append("test.entry", actor_ref="system:test")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL clea.allow_audit_truncate = 'off'")
            cursor.execute("TRUNCATE audit_auditentry")


def _tamper(sql: str, params: list[Any]) -> None:
    """What someone with the database's superuser rights could do: switch triggers off and rewrite a row."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql,reason",
    [
        ("UPDATE audit_auditentry SET actor_ref = 'user:999' WHERE seq = %s", "altered"),
        ("DELETE FROM audit_auditentry WHERE seq = %s", "sequence gap"),
    ],
)
def test_tampering_is_found_and_named(org_a: Any, sql: str, reason: str) -> None:
    with schema_context(org_a.schema_name):
        for n in range(3):
            append("test.entry", actor_ref="system:test", detail={"n": n})
        target = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True)[1]
        _tamper(sql, [target])
        result = verify_current_schema()
        assert not result.ok and result.broken_seq in (target, target + 1) and reason in result.reason
    with pytest.raises(CommandError, match=rf"entry #{result.broken_seq}"):
        call_command("verify_audit_trail", schema=org_a.schema_name)


@pytest.mark.django_db(transaction=True)  # the threads commit on their own connections
def test_appends_are_serialised_under_concurrency(org_a: Any, django_db_blocker: Any) -> None:
    """Threads appending at once in one schema still give one unbroken chain (the advisory lock)."""
    import threading

    from django.db import connections

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with schema_context(org_a.schema_name):
                for n in range(5):
                    append("test.concurrent", actor_ref="system:test", detail={"n": n})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with schema_context(org_a.schema_name):
        assert verify_current_schema().ok
        assert AuditEntry.objects.filter(action="test.concurrent").count() >= 20


def test_trail_endpoints_are_for_admins(
    world_a: dict[str, Any], org_a: Any, api_client_for: Any, federation_client: Any
) -> None:
    admin = api_client_for(org_a, "admin")
    body = admin.get("/api/audit/", {"action": "decision"}).json()
    assert body["count"] >= 4 and all(row["action"] == "decision" for row in body["results"])
    assert world_a["counsellor"].get("/api/audit/").status_code == 403
    append("test.federation", actor_ref="system:test")  # public schema
    federation = federation_client.get("/api/federation/audit/").json()
    assert federation["results"][0]["schema_name"] == "public"
    assert api_client_for(None, "analyst").get("/api/federation/audit/").status_code == 403


def test_deleting_the_last_entries_is_found_against_the_public_anchor(org_a: Any) -> None:
    """#21 §4: a chain cut at its tail is still a valid chain; the anchor in the public trail shows the cut."""
    with schema_context(org_a.schema_name):
        for n in range(4):
            append("test.tail", actor_ref="system:test", detail={"n": n})
        head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True)[0]
        # the hourly task, as beat sends it to the organisation's schema
        assert anchor_audit_trail.apply(headers={"_schema_name": org_a.schema_name}).get() == head
    anchor = latest_anchor(org_a.schema_name)
    assert anchor is not None and anchor.seq == head
    assert anchor_schema(org_a.schema_name) == anchor  # nothing new to anchor: no second public entry
    call_command("verify_audit_trail", schema=org_a.schema_name)  # intact

    with schema_context(org_a.schema_name):
        _tamper("DELETE FROM audit_auditentry WHERE seq > %s", [head - 2])  # the last two entries go
        assert verify_current_schema().ok  # the chain alone cannot tell
    report = io.StringIO()
    with pytest.raises(CommandError, match=rf"entry #{head - 1}"):
        call_command("verify_audit_trail", schema=org_a.schema_name, stderr=report)
    assert "its last 2 entries were removed" in report.getvalue()
    with schema_context("public"):
        assert verify_current_schema().ok  # the public trail, anchors included, still holds
