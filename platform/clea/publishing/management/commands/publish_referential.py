"""``manage.py publish_referential FILE [--effective-from YYYY-MM-DD] [--code C --title T] [--dry-run]``.

Checks the file (YAML or CSV by its extension), prints the diff against the version in force, and publishes it
from the given day (default today). A refusal is one readable line and exit status 1; nothing is stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clea.publishing import referentials


class Command(BaseCommand):
    help = "Vérifie, compare et publie une version du référentiel (YAML ou CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--effective-from", help="AAAA-MM-JJ, par défaut aujourd'hui")
        parser.add_argument("--code", default="", help="code du référentiel d'un CSV (par défaut CLEA)")
        parser.add_argument("--title", default="", help="titre du référentiel d'un CSV")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et comparer sans publier")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: introuvable ou illisible ({error.strerror}).") from None
        try:
            day = date.fromisoformat(options["effective_from"]) if options["effective_from"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"Date d'effet invalide : {options['effective_from']!r} (AAAA-MM-JJ).") from None
        try:
            upload = referentials.read_upload(content, path.name, "", options["code"], options["title"])
            preview = referentials.preview(upload)
        except referentials.PublishingError as error:
            raise CommandError(" ".join(error.messages)) from None
        diff = preview.diff
        against = preview.current.identity if preview.current else "aucune version en vigueur"
        self.stdout.write(f"{upload.referential.identity} comparée à {against} :")
        if diff is not None:
            self.stdout.write(
                f"  {len(diff.structural)} changement de structure, {len(diff.annotations)} de notes ou de sources"
            )
            for change in diff.structural:
                self.stdout.write(
                    f"  - {change.label_fr} : {change.action_fr} ({change.old or '—'} → {change.new or '—'})"
                )
        if options["dry_run"]:
            return
        try:
            version = referentials.publish_upload(
                upload, day, None, preview.current.identity if preview.current else "", published_by="commande"
            )
        except referentials.PublishingError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Publiée : {version.identity}, en vigueur à partir du {day:%d/%m/%Y}.")
