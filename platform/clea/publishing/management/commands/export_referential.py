"""``manage.py export_referential IDENTITY OUT [--format yaml|csv]``: write one version to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea.publishing import referentials
from clea.referentials.models import ReferentialVersion


class Command(BaseCommand):
    help = "Exporte une version du référentiel en YAML ou en CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("identity", help="par exemple CLEA@d69c7ba340bfa08c")
        parser.add_argument("out")
        parser.add_argument("--format", choices=referentials.FORMATS, default="yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = referentials.get_version(options["identity"])
        except ReferentialVersion.DoesNotExist:
            raise CommandError(f"Aucune version {options['identity']!r} (voir /api/public/referentials/).") from None
        text = referentials.export_csv(version) if options["format"] == "csv" else referentials.export_yaml(version)
        try:
            Path(options["out"]).write_text(("\ufeff" if options["format"] == "csv" else "") + text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{options['out']}: écriture impossible ({error.strerror}).") from None
        self.stdout.write(f"{version.identity} → {options['out']}")
