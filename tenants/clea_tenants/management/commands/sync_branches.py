from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clea_tenants.accreditations import sync_branches
from clea_tenants.schemas import use_public_schema


class Command(BaseCommand):
    help = "Create or update the branch registry (public schema) from the installed branch plugins (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        use_public_schema()
        report = sync_branches()
        for label, codes in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ):
            if codes:
                self.stdout.write(f"Branches {label}: {', '.join(codes)}")
        if report.not_installed:
            self.stdout.write(
                self.style.WARNING(
                    f"Branches registered without an installed plugin (kept, cannot be accredited): "
                    f"{', '.join(report.not_installed)}"
                )
            )
