"""Issue 13 §6: "whole domain acquired" on the grid, undoable, in a real chromium; the domain's criteria saved
as acquired by one sitting, nothing else touched."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.web.conftest import Site, login
from tests.web.helpers import file_at, ordered_criteria

from clea.journey.models import SittingEntryRecord

pytestmark = [pytest.mark.browser, pytest.mark.db]


def _checked(page: Any, domain: str) -> dict[str, str]:
    """Per criterion of ``domain``: the value of its checked radio ("1", "0") or ""."""
    found: dict[str, str] = page.evaluate(
        """(key) => Object.fromEntries(Array.from(document.querySelectorAll(
            `fieldset.criterion[data-domain="${key}"]`)).map((row) => {
                const on = row.querySelector("input[type=radio]:checked");
                return [row.id, on ? on.value : ""];
            }))""",
        f"d-{domain}",
    )
    return found


def test_whole_domain_acquired_and_undo(
    org_a: Any, site_for: Callable[[Any], Site], new_page: Callable[..., Any]
) -> None:
    a = site_for(org_a)
    user = a.user("counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", user, name=("Dom", "Aine"))
    domain_one = [code for code, _sub in ordered_criteria() if code.split(".")[0] == "1"]
    page = new_page(1024, 768)
    login(page, a, user)
    page.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    first = domain_one[0]
    page.locator(f"label[for='c-{first}-0']").click()  # one criterion already set to "not acquired"
    before = _checked(page, "1")
    page.locator("button[data-bulk='d-1']").click()
    assert set(_checked(page, "1").values()) == {"1"} and len(before) == len(domain_one)
    assert set(_checked(page, "2").values()) == {""}  # other domains untouched
    page.locator("button[data-bulk-undo='d-1']").click()
    assert _checked(page, "1") == before  # undone: the former answers are back, "not acquired" included
    assert page.locator("button[data-bulk-undo='d-1']").is_hidden()
    page.locator("button[data-bulk='d-1']").click()
    page.get_by_label("Modalité d'évaluation").select_option("btp")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/evaluation/$"))
    page.locator("tr[data-sitting]").first.wait_for()
    with schema_context(org_a.schema_name):
        saved = dict(
            SittingEntryRecord.objects.filter(sitting__open_evaluation__file_id=file_id).values_list(
                "criterion", "acquired"
            )
        )
    assert saved == dict.fromkeys(domain_one, True)
