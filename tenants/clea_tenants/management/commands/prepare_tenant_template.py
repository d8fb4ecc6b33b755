from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clea_tenants.template import migration_fingerprint, prepare_tenant_template, template_schema_name


class Command(BaseCommand):
    help = "Create or rebuild the tenant template schema that new organisations are cloned from (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild even if the template is current.")

    def handle(self, *args: Any, **options: Any) -> None:
        rebuilt = prepare_tenant_template(force=options["force"], verbosity=max(0, options["verbosity"] - 1))
        state = "rebuilt" if rebuilt else "already current"
        self.stdout.write(f"Template schema {template_schema_name()} {state} (migrations {migration_fingerprint()}).")
