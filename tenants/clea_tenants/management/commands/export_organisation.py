from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea_tenants.export import export_organisation
from clea_tenants.models import Organisation


class Command(BaseCommand):
    help = "Export every tenant table of an organisation as JSON into a zip (records last_export_at)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("output", type=Path, help="the .zip file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["slug"]).first()
        if organisation is None:
            raise CommandError(f"unknown organisation: {options['slug']}")
        path = export_organisation(organisation, options["output"])
        self.stdout.write(f"Exported {organisation.slug} to {path}.")
