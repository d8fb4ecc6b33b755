from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea_tenants.provisioning import provision_organisation
from clea_tenants.regions import Region


def one_line(error: ValidationError) -> str:
    """``{"slug": ["a"], "siret": ["b"]}`` -> ``slug: a | siret: b``."""
    if hasattr(error, "error_dict"):
        return " | ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create an evaluating organisation: schema (template clone), domain, role groups, admin user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="lower-case identifier, becomes <slug>.<CLEA_BASE_DOMAIN>")
        parser.add_argument("--name", required=True)
        parser.add_argument("--siret", required=True, help="14 digits, Luhn checksum")
        parser.add_argument("--region", required=True, help="INSEE region code: " + ", ".join(Region.values))
        parser.add_argument("--contact-email", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = provision_organisation(
                name=options["name"],
                slug=options["slug"],
                siret=options["siret"],
                region=options["region"],
                contact_email=options["contact_email"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
            )
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        domain = organisation.get_primary_domain()
        self.stdout.write(f"Organisation {organisation.slug} ready: schema {organisation.schema_name}, host {domain}.")
