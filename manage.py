#!/usr/bin/env python3
"""Django's command-line utility for the CléA platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Appended, never prepended: `platform/` must lose to the standard library's `platform` module.
for source_root in ("platform", "tenants", "plugins"):
    path = str(ROOT / source_root)
    if path not in sys.path:
        sys.path.append(path)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clea.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
