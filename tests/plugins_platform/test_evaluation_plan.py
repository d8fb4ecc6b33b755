"""``GET /api/files/<id>/evaluation-plan/``: the chosen accredited branch plans the évaluation préalable (R3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from tests.api.journey_helpers import REFERENTIAL, walk_to
from tests.plugins_platform.fake_plugins import InstallFake

from clea_tenants.accreditations import revoke

pytestmark = pytest.mark.django_db

TODAY = date.today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday() + 7)  # a Monday, one to two weeks ahead


def plan_url(body: dict[str, Any], query: str = "") -> str:
    return f"/api/files/{body['id']}/evaluation-plan/" + (f"?{query}" if query else "")


def test_the_branch_plans_every_subdomain_over_working_days_within_the_daily_cap(counsellor_a: Any) -> None:
    body = walk_to(counsellor_a, "file_opened")
    response = counsellor_a.get(plan_url(body, f"branch=btp&start={MONDAY}&max_minutes_per_day=120"))
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert plan["branch"] == "btp" and plan["branch_name"].startswith("Bâtiment")
    assert plan["referential_id"] == REFERENTIAL.identity
    assert plan["starts_on"] == str(MONDAY) and len(plan["days"]) > 1
    planned = [sub["code"] for day in plan["days"] for sub in day["subdomains"]]
    assert sorted(planned) == sorted(REFERENTIAL.subdomains_by_code) == sorted(set(planned))
    assert plan["subdomains_planned"] == len(planned)
    for day in plan["days"]:
        assert date.fromisoformat(day["on"]).weekday() < 5
        assert day["minutes"] <= 120
        assert day["minutes"] == sum(m["duration_minutes"] for s in day["subdomains"] for m in s["modalities"])
        assert all(m["key"].startswith("btp:") for s in day["subdomains"] for m in s["modalities"])
    assert plan["total_minutes"] == sum(day["minutes"] for day in plan["days"])
    one_day = counsellor_a.get(plan_url(body, f"start={MONDAY}&max_minutes_per_day=600")).json()  # the only branch
    assert one_day["branch"] == "btp" and len(one_day["days"]) < len(plan["days"])


def test_a_candidate_who_cannot_go_on_site_gets_a_note(counsellor_a: Any) -> None:
    body = walk_to(counsellor_a, "file_opened")
    plan = counsellor_a.get(plan_url(body, f"start={MONDAY}&on_site_possible=false")).json()
    # BTP observes 7.1, 7.2 and 7.4 on site only: the plan says they must be arranged with the candidate
    assert any(note.startswith("7.2") for note in plan["notes"]), plan["notes"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("branch=proprete", 400, "branch_not_accredited"),
        ("branch=inconnue", 400, "branch_not_accredited"),
        ("start=07/01/2030", 400, "validation_error"),
        ("max_minutes_per_day=5", 400, "validation_error"),
        ("max_minutes_per_day=abc", 400, "validation_error"),
        ("max_minutes_per_day=²²", 400, "validation_error"),
        ("start=9999-12-31", 400, "validation_error"),
    ],
)
def test_bad_requests_are_refused(counsellor_a: Any, query: str, status: int, code: str) -> None:
    body = walk_to(counsellor_a, "referred")
    response = counsellor_a.get(plan_url(body, query))
    assert response.status_code == status and response.json()["code"] == code, response.json()


def test_staff_only_and_never_across_organisations(
    counsellor_a: Any, counsellor_b: Any, api_client_for: Any, org_a: Any
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    assert api_client_for(org_a, "trainer").get(plan_url(body)).status_code == 403
    assert api_client_for(org_a, "admin").get(plan_url(body)).status_code == 200
    response = counsellor_b.get(plan_url(body))
    assert response.status_code == 404 and "Léa" not in response.content.decode()


def test_without_accreditation_or_with_several_the_branch_is_required(
    counsellor_a: Any, org_a: Any, install_fake: InstallFake
) -> None:
    body = walk_to(counsellor_a, "file_opened")
    install_fake("fake")  # org A: btp and fake
    response = counsellor_a.get(plan_url(body))
    assert response.status_code == 400 and response.json()["code"] == "modality_required"
    # the fake branch does not plan: 400 plan_unavailable naming it
    response = counsellor_a.get(plan_url(body, "branch=fake"))
    assert response.status_code == 400 and response.json()["code"] == "plan_unavailable"
    assert "« fake »" in response.json()["detail"]
    revoke(org_a, "btp")
    revoke(org_a, "fake")
    response = counsellor_a.get(plan_url(body))
    assert response.status_code == 400 and response.json()["code"] == "no_accredited_branch"


def test_a_plugin_failing_in_the_plan_is_a_502_naming_it(counsellor_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import clea_branch_btp.hooks

    body = walk_to(counsellor_a, "file_opened")
    monkeypatch.setattr(clea_branch_btp.hooks.plugin, "data", _broken)  # the branch's data file cannot be read
    response = counsellor_a.get(plan_url(body, "branch=btp"))
    assert response.status_code == 502, response.json()
    error = response.json()
    assert error["code"] == "plugin_error" and error["plugin"] == "btp" and error["hook"] == "clea_evaluation_plan"
    assert "« btp »" in error["detail"] and "illisibles" not in error["detail"]


def _broken() -> Any:
    raise RuntimeError("données de la branche illisibles")
