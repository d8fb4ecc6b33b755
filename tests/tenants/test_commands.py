"""Management commands, run as real processes: exit code and a single readable error line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from tests.fixtures.tenants import luhn_siret

from clea_tenants.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _database_url() -> str:
    """URL of the *test* database, for a child process."""
    s = connection.settings_dict
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host", "")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{s['USER']}@{quote(str(host), safe='')}{port}/{s['NAME']}"


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "clea.settings.test"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _args(slug: str, siret: str) -> list[str]:
    return [
        "provision_organisation",
        slug,
        "--name",
        "Organisme",
        "--siret",
        siret,
        "--region",
        "11",
        "--contact-email",
        "c@example.org",
        "--admin-email",
        "a@example.org",
        "--admin-password",
        "a-long-passphrase",
    ]


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ")
    for word in words:
        assert word in lines[0]


def test_duplicate_slug_is_refused(org_a: Organisation) -> None:
    result = _manage(*_args(org_a.slug, luhn_siret("6666666600001")))
    _assert_one_line_error(result, "slug:")


def test_bad_siret_is_refused(org_a: Any) -> None:
    result = _manage(*_args("zeta", "12345678901234"))
    _assert_one_line_error(result, "siret:", "SIRET")
    assert not Organisation.objects.filter(slug="zeta").exists()


def test_prepare_tenant_template_is_idempotent(org_a: Any) -> None:
    result = _manage("prepare_tenant_template")
    assert result.returncode == 0 and "already current" in result.stdout, result.stderr
