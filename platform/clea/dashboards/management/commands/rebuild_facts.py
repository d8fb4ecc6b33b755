"""``manage.py rebuild_facts --schema X | --all [--rollups-only]``: publish every decision again, then recount.

For recovery (lost tasks, a fact format extended): each organisation's decisions are published again from its
schema (the stored facts are replaced: idempotent), then the dashboards' rollups are recomputed from the
facts — file by file for one organisation, in one bulk pass for ``--all``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from clea.dashboards.rollups import rebuild_all, refresh_organisation
from clea.facts.publication import republish_schema
from clea_tenants.models import Organisation


class Command(BaseCommand):
    help = "Publie à nouveau les faits de chaque décision (idempotent) et recalcule les agrégats nationaux."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--schema", help="le schéma d'un organisme")
        which.add_argument("--all", action="store_true", help="tous les organismes")
        which.add_argument("--rollups-only", action="store_true", help="recalculer les agrégats depuis les faits")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["rollups_only"]:
            self._bulk(started)
            return
        organisations = Organisation.objects.exclude(schema_name="public").order_by("schema_name")
        if options["schema"]:
            organisations = organisations.filter(schema_name=options["schema"])
            if not organisations.exists():
                raise CommandError(f"Aucun organisme n'a le schéma {options['schema']!r}.")
        for organisation in organisations:
            with schema_context(organisation.schema_name):
                slug, written = republish_schema()
            self.stdout.write(f"{organisation.schema_name}: {written} faits publiés")
            if options["schema"]:
                changed = refresh_organisation(slug)
                self.stdout.write(f"{organisation.schema_name}: {changed} dossiers recomptés")
        if options["all"]:
            self._bulk(started)
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.monotonic() - started:.1f} s."))

    def _bulk(self, started: float) -> None:
        result = rebuild_all()
        self.stdout.write(
            f"Agrégats recalculés : {result['files']} dossiers, {result['rollup_rows']} lignes "
            f"({time.monotonic() - started:.1f} s)."
        )
