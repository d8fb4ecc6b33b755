"""A préalable over three sittings, three days, two evaluators on two devices, in a real chromium (R3).

Also measures the grid's cost for the same préalable (gaps in 3.1 and 7.2): keystrokes and clicks one
criterion at a time (before) and with "whole sub-domain acquired" (after), and the page height on a phone.
The figures are written to ``test-artifacts/grid-figures.json`` and reported in ``docs/GRID.md``.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.web.conftest import Site, check_page, login
from tests.web.helpers import GAPS, file_at, ordered_criteria

from clea.journey.models import CandidateFileRecord, SittingRecord

pytestmark = [pytest.mark.browser, pytest.mark.db]

FIGURES = Path(__file__).resolve().parents[2] / "test-artifacts" / "grid-figures.json"
TODAY = date.today()


class Recorder:
    """Counts the keystrokes and clicks a person makes (only what goes through it)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.keys = 0
        self.clicks = 0

    def press(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)

    def click(self, locator: Any) -> None:
        self.clicks += 1
        locator.click()


def _subdomains(criteria: list[tuple[str, str]]) -> OrderedDict[str, list[str]]:
    found: OrderedDict[str, list[str]] = OrderedDict()
    for code, sub in criteria:
        found.setdefault(sub, []).append(code)
    return found


def _set_day(page: Any, day: date) -> None:
    page.locator("#sitting_day").fill(day.isoformat())


def _save_sitting(page: Any, file_id: int, sittings: int) -> None:
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/evaluation/$"))
    page.locator("tr[data-sitting]").nth(sittings - 1).wait_for()
    assert page.locator("tr[data-sitting]").count() == sittings


def _one_go(a: Site, new_page: Callable[..., Any], user: Any, criteria: list[tuple[str, str]], keyboard: bool) -> Any:
    """The former way: every criterion typed (``a``/``n``) or clicked, then one click; returns the counts."""
    file_id = file_at(a.org.schema_name, "file_opened", user, name=("Avant", "Mesure"))
    page = new_page(1024, 768)
    login(page, a, user)
    page.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    page.get_by_label("Modalité d'évaluation").select_option("btp")
    rec = Recorder(page)
    if keyboard:
        page.locator("fieldset.criterion input[type=radio]").first.focus()
        for _code, sub in criteria:
            rec.press("n" if sub in GAPS else "a")
    else:
        for code, sub in criteria:
            rec.click(page.locator(f"label[for='c-{code}-{0 if sub in GAPS else 1}']"))
    rec.click(page.get_by_role("button", name="Enregistrer l'évaluation"))
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/acquis/"))
    page.context.close()
    return {"keystrokes": rec.keys, "clicks": rec.clicks}


def test_three_sittings_by_two_evaluators_and_the_grid_figures(
    org_a: Any, site_for: Callable[[Any], Site], new_page: Callable[..., Any]
) -> None:
    a = site_for(org_a)
    first, second = a.user("counsellor"), a.user("counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", first)
    with schema_context(org_a.schema_name):
        CandidateFileRecord.objects.filter(pk=file_id).update(consent_given_on=TODAY - timedelta(days=10))
    criteria = ordered_criteria()
    subs = _subdomains(criteria)
    order = list(subs)
    thirds = [order[:9], order[9:19], order[19:]]
    days = [TODAY - timedelta(days=6), TODAY - timedelta(days=3), TODAY]
    figures: dict[str, Any] = {"criteria": len(criteria), "subdomains": len(subs)}

    # --- before: the same préalable in one go, one key per criterion, then one click on "save" ---------------
    figures["before"] = {
        "keyboard": _one_go(a, new_page, first, criteria, keyboard=True),
        "mouse_only": _one_go(a, new_page, first, criteria, keyboard=False),
    }

    # --- sitting 1: the first evaluator, on a tablet, sub-domains acquired in bulk, gaps one by one ----------
    page = new_page(1024, 768)
    login(page, a, first)
    page.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    page.get_by_label("Modalité d'évaluation").select_option("btp")
    rec = Recorder(page)
    total_clicks = 0
    total_keys = 0

    def enter(recorder: Recorder, sub_codes: list[str]) -> None:
        for sub in sub_codes:
            if sub in GAPS:  # "à acquérir", one click per criterion
                for code in subs[sub]:
                    recorder.click(page.locator(f"label[for='c-{code}-0']"))
            else:
                recorder.click(page.locator(f"button[data-bulk='sd-{sub}']"))

    _set_day(page, days[0])
    enter(rec, thirds[0])
    check_page(page, "s1-grille-seance-1")
    rec.click(page.get_by_role("button", name="Enregistrer la séance"))
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/evaluation/$"))
    page.locator("tr[data-sitting]").first.wait_for()
    total_clicks += rec.clicks

    # --- sitting 2: another evaluator, another device, resumes what the server holds ---------------------
    other = new_page(1024, 768)
    login(other, a, second)
    other.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    assert other.locator("tr[data-sitting]").count() == 1
    done = sum(len(subs[s]) for s in thirds[0])
    assert other.locator("fieldset.criterion input[type=radio]:checked").count() == done
    other.get_by_label("Afficher seulement les critères sans résultat").check()
    assert other.locator("fieldset.criterion:visible").count() == len(criteria) - done
    page_before = page
    page = other
    rec = Recorder(other)
    _set_day(other, days[1])
    enter(rec, thirds[1])
    # the bulk action is undoable
    last = thirds[1][-1] if thirds[1][-1] not in GAPS else thirds[1][-2]
    rec.click(other.locator(f"button[data-bulk-undo='sd-{last}']"))
    assert other.locator(f"fieldset[data-subdomain='sd-{last}'] input:checked").count() == 0
    rec.click(other.locator(f"button[data-bulk='sd-{last}']"))
    rec.clicks -= 2  # the undo demonstration is not part of the préalable's cost
    _save_sitting(other, file_id, 2)
    total_clicks += rec.clicks + 1

    # --- sitting 3: the first evaluator again, today; then the explicit close --------------------------
    page = page_before
    page.goto(a.url(f"/dossiers/{file_id}/evaluation/"))
    assert page.locator("tr[data-sitting]").count() == 2
    rec = Recorder(page)
    _set_day(page, days[2])
    enter(rec, thirds[2])
    assert "reste 0" in page.locator("#summary-left").inner_text()
    rec.click(page.get_by_role("button", name="Clôturer l'évaluation"))
    page.wait_for_url(re.compile(rf"/dossiers/{file_id}/acquis/"))
    total_clicks += rec.clicks
    total_keys += 0
    with schema_context(org_a.schema_name):
        record = CandidateFileRecord.objects.get(pk=file_id)
        assert record.state == "evaluated"
        assert sorted(SittingRecord.objects.filter(open_evaluation__file_id=file_id).values_list("day", flat=True)) == (
            days
        )
        assert len(set(SittingRecord.objects.values_list("evaluator_id", flat=True))) == 2
        assert record.deadline == days[0].replace(year=days[0].year + 5)

    gap_criteria = sum(len(subs[s]) for s in GAPS)
    figures["after"] = {
        "clicks": total_clicks,
        "keystrokes": total_keys,
        "expected_clicks": (len(subs) - len(GAPS)) + gap_criteria + 3,  # bulk + gaps + 2 saves + close
        "sittings": 3,
    }
    assert total_clicks == figures["after"]["expected_clicks"]

    # --- the phone: page height, whole grid and "only criteria without a result" -------------------------
    phone = new_page(390, 844)
    login(phone, a, first)
    opened = file_at(org_a.schema_name, "file_opened", first, name=("Noé", "Mobile"))
    phone.goto(a.url(f"/dossiers/{opened}/evaluation/"))
    compact = phone.evaluate("document.documentElement.scrollHeight")
    phone.locator("button[data-bulk='sd-1.1']").click()
    phone.get_by_label("Afficher seulement les critères sans résultat").check()
    filtered = phone.evaluate("document.documentElement.scrollHeight")
    phone.get_by_label("Afficher seulement les critères sans résultat").uncheck()
    toggle = phone.locator("fieldset.criterion").first.locator("button[data-extra-toggle]")
    toggle.click()  # comment and evidence open on demand
    assert phone.locator("#m-1\\.1\\.1").is_visible()
    # the former layout: every comment and evidence control shown, no bulk action or summary bar
    phone.evaluate(
        """() => {
            document.querySelectorAll("fieldset.criterion").forEach((row) => row.classList.add("show-extra"));
            document.querySelectorAll(".extra-toggle, .bulk, .summary-bar, #seances").forEach((el) => {
                el.style.display = "none";
            });
        }"""
    )
    former = phone.evaluate("document.documentElement.scrollHeight")
    figures["phone"] = {
        "width": 390,
        "height_px_former_layout": former,
        "height_px_compact": compact,
        "height_px_compact_only_missing_after_one_bulk": filtered,
    }
    assert filtered < compact < former
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2), encoding="utf-8")
