from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea_tenants.backup import RestoreError, restore_organisation


class Command(BaseCommand):
    help = (
        "Restore (import) one organisation from an export_organisation archive: its rows and files, in place "
        "or --beside <new schema> for inspection; no other organisation is touched; ids never repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the .zip written by export_organisation")
        parser.add_argument("--beside", default="", help="restore into this new schema instead (e.g. org_x_check)")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"no such archive: {archive}")
        try:
            report = restore_organisation(archive, beside=options["beside"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(report.rows.values())} rows in {len(report.rows)} tables and {report.files} files"
            f" into {report.schema}."
        )
