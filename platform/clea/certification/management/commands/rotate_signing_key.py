from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clea.certification import signing


class Command(BaseCommand):
    help = "Rotate the federation's signing key: a new Ed25519 key signs from now on; old keys stay published."

    def handle(self, *args: Any, **options: Any) -> None:
        key = signing.rotate()
        published = len(signing.jwks()["keys"])
        self.stdout.write(self.style.SUCCESS(f"Active signing key: {key.kid} ({published} key(s) in the JWKS)."))
