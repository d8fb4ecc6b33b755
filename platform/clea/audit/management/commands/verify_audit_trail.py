"""``manage.py verify_audit_trail [--schema X | --all]``: recompute the hash chain(s).

Exits 0 when every chain holds; otherwise prints the first broken entry of each broken schema and exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import get_tenant_model, schema_context

from clea.audit.anchors import check_anchor
from clea.audit.trail import Verification, verify_current_schema


def all_schemas() -> list[str]:
    organisations = get_tenant_model()  # the organisations (clea_tenants sits above the audit trail)
    with schema_context("public"):
        return ["public", *organisations.objects.order_by("schema_name").values_list("schema_name", flat=True)]


def verify_schema(schema_name: str) -> Verification:
    """The chain itself, then its tail against the last anchor in the public trail (clea.audit.anchors)."""
    with schema_context(schema_name):
        result = verify_current_schema()
    if result.ok and schema_name != "public":
        problem = check_anchor(schema_name, result.entries)
        if problem:
            return Verification(schema_name, result.entries, result.entries + 1, None, problem)
    return result


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain of one schema (--schema, default public) or of all (--all)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--schema", default=None, help="schema to verify (default: public)")
        group.add_argument("--all", action="store_true", help="public and every organisation's schema")

    def handle(self, *args: Any, **options: Any) -> None:
        schemas = all_schemas() if options["all"] else [options["schema"] or "public"]
        broken: list[Verification] = []
        for schema in schemas:
            result = verify_schema(schema)
            if result.ok:
                self.stdout.write(f"ok: {schema} ({result.entries} entries)")
            else:
                broken.append(result)
                self.stderr.write(
                    f"BROKEN: {schema}: first broken entry #{result.broken_seq} "
                    f"(id {result.broken_id}): {result.reason}"
                )
        if broken:
            first = broken[0]
            raise CommandError(
                f"audit trail broken in {len(broken)} schema(s); first: {first.schema_name} "
                f"entry #{first.broken_seq} (id {first.broken_id})"
            )
