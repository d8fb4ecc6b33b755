from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea_tenants.template import prepare_tenant_template, template_is_current, template_schema_name
from clea_tenants.upgrade import (
    MigrationTargets,
    Outcome,
    default_workers,
    find_stale_schemas,
    migrate_schemas_in_parallel,
    tenant_schemas,
)


class Command(BaseCommand):
    help = (
        "Migrate the shared schema, rebuild the tenant template if needed, then migrate only the tenant "
        "schemas that lack a migration, in parallel. Exits non-zero, with one line per schema, on failures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="Worker processes for the tenant schemas."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing: list the tenant schemas that are behind."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        verbosity = int(options["verbosity"])
        workers = max(1, int(options["workers"]))
        targets = MigrationTargets.from_disk()
        if options["dry_run"]:
            self._dry_run(targets)
            return

        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(0, verbosity - 1))
        rebuilt = prepare_tenant_template(verbosity=max(0, verbosity - 1))
        if verbosity >= 1:
            state = "rebuilt" if rebuilt else "current"
            self.stdout.write(f"Shared schema migrated; template {template_schema_name()} {state}.")

        schemas = tenant_schemas()
        stale = find_stale_schemas(schemas, targets)
        if verbosity >= 1:
            self.stdout.write(
                f"Tenant schemas: {len(schemas)}, up to date: {len(schemas) - len(stale)}, behind: {len(stale)}"
                + (f" (migrating with {min(workers, len(stale))} worker(s))" if stale else "")
            )

        def report(outcome: Outcome) -> None:
            if not outcome.ok:
                self.stderr.write(f"FAILED {outcome.failure_line()}")
            elif verbosity >= 2:
                self.stdout.write(f"  {outcome.schema}: {len(outcome.applied)} migration(s) in {outcome.seconds:.2f} s")

        outcomes = migrate_schemas_in_parallel(stale, workers=workers, targets=targets, on_outcome=report)
        failed = [outcome for outcome in outcomes if not outcome.ok]
        elapsed = time.perf_counter() - started
        if failed:
            names = ", ".join(outcome.schema for outcome in failed[:10]) + (", ..." if len(failed) > 10 else "")
            raise CommandError(f"{len(failed)} of {len(stale)} tenant schema(s) failed to migrate: {names}")
        if verbosity >= 1:
            self.stdout.write(f"Upgrade done: {len(outcomes)} tenant schema(s) migrated in {elapsed:.1f} s.")

    def _dry_run(self, targets: MigrationTargets) -> None:
        public = find_stale_schemas(["public"], targets)
        shared = f"{len(public[0].missing)} migration(s) pending" if public else "up to date"
        template = "current" if template_is_current() else "to rebuild"
        self.stdout.write(f"Shared schema: {shared}; template {template_schema_name()}: {template}.")
        schemas = tenant_schemas()
        stale = find_stale_schemas(schemas, targets)
        self.stdout.write(
            f"Tenant schemas: {len(schemas)}, up to date: {len(schemas) - len(stale)}, behind: {len(stale)}"
        )
        for state in stale:
            missing = "no migration history" if state.missing == ("*",) else ", ".join(state.missing)
            if not state.exists:
                missing = "schema does not exist"
            self.stdout.write(f"  {state.schema}: {missing}")
