"""Refresh the vendored communes (``clea/identity/data/communes.json.gz``) from the npm package
``@etalab/decoupage-administratif``, fetched with the ordinary npm client (``npm pack``), or from a tarball."""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea.identity import geography

PACKAGE = "@etalab/decoupage-administratif"


class Command(BaseCommand):
    help = "Refresh the French communes (INSEE codes) from the npm package @etalab/decoupage-administratif."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--version", dest="package_version", default="latest", help="Package version.")
        parser.add_argument("--tarball", help="A tarball already fetched (npm pack output) instead of npm.")

    def handle(self, *args: Any, **options: Any) -> None:
        with tempfile.TemporaryDirectory() as folder:
            tarball = Path(options["tarball"]) if options["tarball"] else self._pack(options["package_version"], folder)
            try:
                with tarfile.open(tarball) as archive:
                    meta = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
                    communes = json.load(archive.extractfile("package/data/communes.json"))  # type: ignore[arg-type]
            except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
                raise CommandError(f"not a {PACKAGE} tarball: {exc}") from exc
        if meta.get("name") != PACKAGE:
            raise CommandError(f"the tarball is {meta.get('name')!r}, not {PACKAGE}")
        count = geography.write(geography.convert(communes, str(meta["version"])))
        geography.load.cache_clear()
        self.stdout.write(f"{count} communes from {PACKAGE} {meta['version']} ({meta.get('license')}) written.")

    def _pack(self, version: str, folder: str) -> Path:
        try:
            done = subprocess.run(
                ["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", folder, "--silent"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CommandError(f"npm pack failed: {exc}") from exc
        if done.returncode != 0:
            raise CommandError(f"npm pack failed: {done.stderr.strip().splitlines()[-1:]}")
        return Path(folder) / done.stdout.strip().splitlines()[-1]
