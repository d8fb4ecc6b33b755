"""Issue 17 §5: the integrator's guide (docs/API.md, ``scripts/api-journey.sh``) runs against a live server."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from tests.fixtures.tenants import ADMIN_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api-journey.sh"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_guide_runs_against_a_live_server(live_server: Any, org_a: Any) -> None:
    counsellor = make_user(org_a.schema_name, "counsellor")
    make_user(org_a.schema_name, "trainer")
    env = {
        **os.environ,
        "CLEA_URL": live_server.url,
        "CLEA_HOST": f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}",
        "CLEA_USER": counsellor.username,
        "CLEA_PASSWORD": ADMIN_PASSWORD,
    }
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "submission refused by R10" in done.stdout
