"""The grid over several sittings (R3): saved on the server, resumed by another evaluator, closed explicitly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.web.helpers import file_at, ordered_criteria, record_version

from clea.journey.models import CandidateFileRecord, OpenEvaluationRecord, SittingRecord

pytestmark = pytest.mark.db

Clients = Callable[..., Any]
TODAY = date.today()


def text(response: Any) -> str:
    return str(response.content.decode())


def _backdate_consent(schema: str, file_id: int, days: int) -> None:
    with schema_context(schema):
        CandidateFileRecord.objects.filter(pk=file_id).update(consent_given_on=TODAY - timedelta(days=days))


def _post_sitting(client: Any, schema: str, file_id: int, day: date, codes: list[str], action: str = "sitting") -> Any:
    data: dict[str, Any] = {
        "version": record_version(schema, file_id),
        "action": action,
        "sitting_day": str(day),
        "modality": "btp",
    }
    data |= {f"c-{code}": "1" for code in codes}
    return client.post(f"/dossiers/{file_id}/evaluation/", data)


def test_three_sittings_three_days_two_evaluators_through_the_web(org_a: Any, web_client_for: Clients) -> None:
    first = web_client_for(org_a, "counsellor")
    second = web_client_for(org_a, user=make_user(org_a.schema_name, "counsellor"))
    schema = org_a.schema_name
    file_id = file_at(schema, "file_opened", first.user)
    _backdate_consent(schema, file_id, 10)
    codes = [code for code, _sub in ordered_criteria()]
    third = len(codes) // 3
    parts = [codes[:third], codes[third : 2 * third], codes[2 * third :]]
    days = [TODAY - timedelta(days=5), TODAY - timedelta(days=2), TODAY]
    for index, (client, part, day) in enumerate(zip([first, second, first], parts, days, strict=True)):
        page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
        # What earlier sittings saved is shown, checked, on whoever's device resumes.
        if index:
            assert f'name="c-{parts[index - 1][-1]}" value="1" checked' in page
            assert page.count('data-sitting="') == index
        response = _post_sitting(client, schema, file_id, day, part)
        assert response.status_code == 302, text(response)
        assert response["Location"] == f"/dossiers/{file_id}/evaluation/"
    with schema_context(schema):
        assert CandidateFileRecord.objects.get(pk=file_id).state == "file_opened"  # nothing moves before the close
        assert SittingRecord.objects.filter(open_evaluation__file_id=file_id).count() == 3
        assert len(set(SittingRecord.objects.values_list("evaluator_id", flat=True))) == 2
    page = text(first.get(f"/dossiers/{file_id}/evaluation/"))
    assert f"{len(codes)} critère(s) enregistré(s) sur {len(codes)}" in page
    # Posting the same answers again records nothing new (no false corrections).
    data = {"version": record_version(schema, file_id), "action": "sitting", "sitting_day": str(TODAY)}
    data |= {f"c-{code}": "1" for code in codes}
    assert "rien à enregistrer" in text(first.post(f"/dossiers/{file_id}/evaluation/", data))
    response = _post_sitting(second, schema, file_id, TODAY, [], action="close")
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{file_id}/acquis/"
    with schema_context(schema):
        record = CandidateFileRecord.objects.get(pk=file_id)
        assert record.state == "ready_for_jury"
        assert record.deadline == days[0].replace(year=days[0].year + 5)  # R8: from the first day
        assert not OpenEvaluationRecord.objects.filter(file_id=file_id, closed_at__isnull=True).exists()


def test_closing_too_early_says_what_is_left_in_french(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    codes = [code for code, _sub in ordered_criteria()]
    page = text(_post_sitting(client, org_a.schema_name, file_id, TODAY, codes[:5], action="close"))
    assert "ne peut être clôturée que lorsque chaque critère a un résultat" in page
    with schema_context(org_a.schema_name):
        assert SittingRecord.objects.filter(open_evaluation__file_id=file_id).count() == 1  # the sitting is kept
        assert CandidateFileRecord.objects.get(pk=file_id).state == "file_opened"


def test_a_sitting_before_consent_is_refused_and_nothing_stored(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    codes = [code for code, _sub in ordered_criteria()]
    page = text(_post_sitting(client, org_a.schema_name, file_id, TODAY - timedelta(days=3), codes[:3]))
    assert "précède le consentement" in page and 'role="alert"' in page
    page = text(_post_sitting(client, org_a.schema_name, file_id, TODAY, []))
    assert "rien à enregistrer" in page
    bad = {"version": record_version(org_a.schema_name, file_id), "action": "sitting", "sitting_day": "demain"}
    bad |= {f"c-{codes[0]}": "1"}
    assert "Journée de la séance invalide" in text(client.post(f"/dossiers/{file_id}/evaluation/", bad))
    with schema_context(org_a.schema_name):
        assert not SittingRecord.objects.filter(open_evaluation__file_id=file_id).exists()


def test_another_organisation_never_reaches_the_grid(org_a: Any, org_b: Any, web_client_for: Clients) -> None:
    owner = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", owner.user)
    intruder = web_client_for(org_b, "counsellor")
    codes = [code for code, _sub in ordered_criteria()]
    assert intruder.get(f"/dossiers/{file_id}/evaluation/").status_code == 404
    response = intruder.post(
        f"/dossiers/{file_id}/evaluation/",
        {"action": "sitting", "sitting_day": str(TODAY), f"c-{codes[0]}": "1"},
    )
    assert response.status_code == 404
    with schema_context(org_a.schema_name):
        assert not SittingRecord.objects.exists()


def test_one_go_entry_is_refused_while_sittings_are_open(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    codes = [code for code, _sub in ordered_criteria()]
    assert _post_sitting(client, org_a.schema_name, file_id, TODAY, codes[:2]).status_code == 302
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    assert "Enregistrer l&#x27;évaluation</button>" not in page and "Clôturer l" in page


def test_the_plan_saved_on_the_file_is_printed_and_its_days_offered(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    query = {"branch": "btp", "start": str(TODAY), "max_minutes_per_day": "120", "on_site_possible": "on"}
    plan_page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/", query))
    assert "Enregistrer ce plan sur le dossier" in plan_page
    assert client.get(f"/dossiers/{file_id}/plan-evaluation/pdf/").status_code == 404
    response = client.post(f"/dossiers/{file_id}/plan-evaluation/enregistrer/", query)
    assert response.status_code == 302
    page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/"))
    assert "Plan enregistré sur le dossier" in page
    days = page.count('class="saved-plan-day"')
    assert days > 1
    pdf = client.get(f"/dossiers/{file_id}/plan-evaluation/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    grid = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    assert grid.count("data-plan-day=") == days  # every day of the plan is offered as a sitting
    bad = client.post(f"/dossiers/{file_id}/plan-evaluation/enregistrer/", {"branch": "btp", "start": "x"})
    assert bad.status_code == 302
    with schema_context(org_a.schema_name):
        from clea.journey.models import SavedPlanRecord

        assert SavedPlanRecord.objects.filter(file_id=file_id).count() == 1  # the bad form stored nothing


def test_another_organisation_never_reaches_the_plan(org_a: Any, org_b: Any, web_client_for: Clients) -> None:
    owner = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", owner.user)
    intruder = web_client_for(org_b, "counsellor")
    query = {"branch": "btp", "start": str(TODAY)}
    assert intruder.get(f"/dossiers/{file_id}/plan-evaluation/pdf/").status_code == 404
    assert intruder.post(f"/dossiers/{file_id}/plan-evaluation/enregistrer/", query).status_code == 404
