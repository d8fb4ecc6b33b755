"""The branch's modality in the web pages (R3): the select of the grid, modalities per sub-domain, branch errors
next to their place, the evaluation plan, training suggestions, branch warnings, jury sections, plugin failures.

Org A is accredited for ``btp`` (tests/fixtures/tenants.py); a test granting or revoking more is rolled back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.plugins_platform.fake_plugins import FakeBranch
from tests.web.helpers import GAPS, file_at, ordered_criteria, record_version

import clea_branch_btp.hooks
import clea_branch_proprete.hooks
from clea.journey.models import CandidateFileRecord, EvaluationRecord
from clea.kernel.jury import JurySnapshot
from clea.kernel.referential import Referential
from clea_plugins import CandidateProfile, EvaluationPlan, JuryFileSection, hookimpl
from clea_plugins.manager import build_host, set_host
from clea_tenants.accreditations import grant, revoke

pytestmark = pytest.mark.db

Clients = Callable[..., Any]
MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)  # a Monday, one to two weeks ahead
NO_ACCREDITATION = (
    "Cet organisme n&#x27;est habilité pour aucune branche : la fédération doit accorder une habilitation avant "
    "toute évaluation."
)


def french_day(day: date) -> str:
    from django.utils import dateformat, translation

    with translation.override("fr"):
        return str(dateformat.format(day, "l j F Y"))


def text(response: Any) -> str:
    return str(response.content.decode())


def select_html(page: str) -> str:
    found = re.search(r'<select id="modality".*?</select>', page, re.S)
    assert found is not None, "no modality select"
    return found.group(0)


def block(page: str, subdomain: str, branch: str) -> str:
    """The modalities block of ``branch`` under the heading of ``subdomain``."""
    start = page.index(f'id="sd-{subdomain}"')
    found = re.search(rf'<div class="modalities" data-branch="{branch}"[^>]*>.*?</div>', page[start:], re.S)
    assert found is not None, (subdomain, branch)
    return found.group(0)


def full_grid(version: int, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"version": version, "day1": str(date.today()), **extra}
    data |= {f"c-{code}": "1" for code, _sub in ordered_criteria()}
    return data


def final_grid(version: int, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"version": version, "day1": str(date.today()), **extra}
    data |= {f"c-{code}": "1" for code, sub in ordered_criteria() if sub in GAPS}
    return data


class FaultyBranch(FakeBranch):
    """The test branch, also planning nothing and adding no jury section (raising when told to)."""

    @hookimpl
    def clea_evaluation_plan(
        self, referential: Referential, candidate_profile: CandidateProfile, start: date
    ) -> EvaluationPlan | None:
        self._maybe_raise("clea_evaluation_plan")
        return None

    @hookimpl
    def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        self._maybe_raise("clea_jury_file_sections")
        return []


@pytest.fixture
def faulty_host(org_a: Any) -> Iterator[Callable[[str], None]]:
    """``faulty_host(hook)``: btp, proprete and a branch ``faulty`` raising in ``hook``; org A accredited for it."""
    from clea_tenants.accreditations import sync_branches

    def install(hook: str) -> None:
        host = build_host(
            {
                "btp": clea_branch_btp.hooks.plugin,
                "proprete": clea_branch_proprete.hooks.plugin,
                "faulty": FaultyBranch("faulty", frozenset({hook})),
            },
            entry_points=False,
        )
        set_host(host)
        sync_branches(host)
        grant(org_a, "faulty", host=host)

    yield install
    set_host(None)


# --- the evaluation grid: select, modalities per sub-domain ------------------------------------------


def test_the_select_lists_only_the_accredited_branch_and_preselects_it(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    assert re.search(r'<label for="modality">Modalité d\'évaluation <span class="req"', page)
    select = select_html(page)
    assert "required" in select and "disabled" not in select
    assert re.findall(r'<option value="([^"]*)"', select) == ["btp"]
    assert '<option value="btp" selected>Bâtiment et travaux publics (EXEMPLE)</option>' in select
    assert 'name="modality" type="text"' not in page and 'type="text" id="modality"' not in page


def test_with_several_branches_the_evaluator_chooses_and_each_branch_has_its_blocks(
    org_a: Any, web_client_for: Clients
) -> None:
    grant(org_a, "proprete")
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user, name=("Zoé", "Choix"))
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    select = select_html(page)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "btp", "proprete"]  # never transport_logistique
    assert " selected" not in select
    assert "hidden" in block(page, "7.2", "btp").split(">")[0]  # nothing chosen yet: every block hidden
    assert "hidden" in block(page, "7.2", "proprete").split(">")[0]
    chosen = text(client.get(f"/dossiers/{file_id}/evaluation/?branche=proprete"))
    assert '<option value="proprete" selected>' in select_html(chosen)
    assert "hidden" not in block(chosen, "7.2", "proprete").split(">")[0]
    assert "hidden" in block(chosen, "7.2", "btp").split(">")[0]


def test_the_chosen_branch_modalities_are_shown_under_each_subdomain(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    domain7 = block(page, "7.2", "btp")
    assert "hidden" not in domain7.split(">")[0]
    assert "Observation en situation de travail" in domain7 and "30 min" in domain7
    assert '<span class="badge on-site">sur site</span>' in domain7
    assert '<span class="badge real-work">situation réelle de travail</span>' in domain7
    assert "<details><summary>" in domain7 and "scénario" in domain7
    digital = block(page, "3.1", "btp")
    assert "Épreuve numérique" in digital and "groupe de 8" in digital and "sur site" not in digital
    assert page.count('<div class="modalities" data-branch="btp"') == len({sub for _code, sub in ordered_criteria()})
    assert "<script>" not in page  # CSP: the toggle lives in clea.js


def test_without_any_accreditation_the_grid_says_so_and_cannot_be_saved(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    revoke(org_a, "btp")
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    assert re.search(rf'<p class="field-error" id="modality-error">{re.escape(NO_ACCREDITATION)}</p>', page)
    assert "disabled" in select_html(page)
    assert re.search(r'<button type="submit" disabled aria-describedby="modality-error">Enregistrer', page)
    version = record_version(org_a.schema_name, file_id)
    refused = text(client.post(f"/dossiers/{file_id}/evaluation/", full_grid(version, modality="btp")))
    assert 'id="modality-error">Cet organisme n&#x27;est habilité pour aucune branche' in refused
    assert record_version(org_a.schema_name, file_id) == version


def test_a_missing_modality_is_refused_next_to_the_select(org_a: Any, web_client_for: Clients) -> None:
    grant(org_a, "proprete")
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    version = record_version(org_a.schema_name, file_id)
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", full_grid(version, modality="")))
    assert re.search(r'id="modality-error">Indiquez la modalité d&#x27;évaluation : une branche habilitée', page)
    assert 'aria-invalid="true"' in select_html(page)
    assert '<a href="#modality">Indiquez la modalité' in page  # also in the summary, linked to the select
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", full_grid(version, modality="transport_logistique")))
    assert re.search(
        r'id="modality-error">La modalité d&#x27;évaluation relève de la branche « transport_logistique', page
    )
    assert record_version(org_a.schema_name, file_id) == version
    response = client.post(f"/dossiers/{file_id}/evaluation/", full_grid(version, modality="proprete"))
    assert response.status_code == 302
    with schema_context(org_a.schema_name):
        assert EvaluationRecord.objects.get(file_id=file_id).modality == "proprete"


# --- the final evaluation: modality keys, branch rules next to their sub-domain ----------------------


def test_the_final_grid_offers_modality_keys_and_records_them(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "training", client.user)
    page = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    key = "btp:7.2:observation_en_situation_de_travail"
    assert f'name="modality_key" value="{key}"' in block(page, "7.2", "btp")
    keys = ["btp:3.1:epreuve_numerique", key]
    data = final_grid(record_version(org_a.schema_name, file_id), modality="btp", modality_key=keys)
    response = client.post(f"/dossiers/{file_id}/evaluation/", data)
    assert response.status_code == 302, text(response)
    with schema_context(org_a.schema_name):
        final = EvaluationRecord.objects.filter(file_id=file_id, kind="final").get()
        assert final.modality == ",".join(keys)


def test_branch_rule_issues_are_shown_next_to_their_subdomain(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "training", client.user)
    version = record_version(org_a.schema_name, file_id)
    # only a modality for 3.1: 7.2 is evaluated without any modality of the branch (btp.no_modality)
    data = final_grid(version, modality="btp", modality_key=["btp:3.1:epreuve_numerique"])
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", data))
    issues = re.search(r'<ul class="branch-issues" id="issues-7.2"[^>]*>(.*?)</ul>', page, re.S)
    assert issues is not None
    assert 'data-issue="btp.no_modality"' in issues.group(1)
    assert "Le sous-domaine 7.2 a été évalué sans modalité d&#x27;évaluation déclarée." in issues.group(1)
    assert 'id="issues-3.1"' not in page
    assert page.index('id="sd-7.2"') < page.index('id="issues-7.2"') < page.index('id="critere-7.2.1"')
    assert "Règles de la branche « btp » non respectées" in page  # and in the summary
    assert 'value="btp:3.1:epreuve_numerique" checked' in page  # the choice is kept
    assert record_version(org_a.schema_name, file_id) == version


def test_checked_keys_of_another_branch_than_the_chosen_one_are_refused(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "training", client.user)
    version = record_version(org_a.schema_name, file_id)
    data = final_grid(version, modality="btp", modality_key=["proprete:7.2:entretien"])
    page = text(client.post(f"/dossiers/{file_id}/evaluation/", data))
    assert 'id="modality-error">Les modalités cochées doivent relever de la branche choisie' in page
    assert record_version(org_a.schema_name, file_id) == version


# --- a branch plugin failing: a 502 page naming it ---------------------------------------------------


def test_a_plugin_failure_is_a_502_page_naming_the_plugin(
    org_a: Any, web_client_for: Clients, faulty_host: Callable[[str], None]
) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    faulty_host("clea_evaluation_modalities")
    response = client.get(f"/dossiers/{file_id}/evaluation/")
    page = text(response)
    assert response.status_code == 502
    assert "Le module de branche « faulty » a échoué (clea_evaluation_modalities)." in page
    assert "<code>faulty</code>" in page and "t@example.org" in page and 'role="alert"' in page
    assert "Traceback" not in page and "panne simulée" not in page


def test_a_plugin_failing_while_recording_rolls_back_and_answers_502(
    org_a: Any, web_client_for: Clients, faulty_host: Callable[[str], None]
) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    faulty_host("clea_validate_evaluation")
    version = record_version(org_a.schema_name, file_id)
    response = client.post(
        f"/dossiers/{file_id}/evaluation/", full_grid(version, modality="faulty"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 502
    assert "Le module de branche « faulty » a échoué (clea_validate_evaluation)." in text(response)
    assert record_version(org_a.schema_name, file_id) == version
    with schema_context(org_a.schema_name):
        assert not EvaluationRecord.objects.filter(file_id=file_id).exists()


# --- the evaluation plan ------------------------------------------------------------------------------


def test_the_evaluation_plan_page_shows_the_branch_days(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    file_page = text(client.get(f"/dossiers/{file_id}/"))
    assert f'href="/dossiers/{file_id}/plan-evaluation/"' in file_page and "Préparer le plan d'évaluation" in file_page
    form = text(client.get(f"/dossiers/{file_id}/plan-evaluation/"))
    assert '<option value="btp" selected>' in form and "Plan proposé" not in form
    query = f"branch=btp&start={MONDAY}&max_minutes_per_day=120&on_site_possible=on&adjustments=tiers+temps"
    page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/?{query}"))
    assert "Plan proposé par la branche Bâtiment et travaux publics (EXEMPLE)" in page
    days = re.findall(r'<h3 class="plan-day-title">Journée (\d+) — ([^<]+)<span class="muted">\((\d+) min\)', page)
    assert len(days) > 1 and days[0][0] == "1" and french_day(MONDAY) in days[0][1]
    assert all(int(minutes) <= 120 for _n, _d, minutes in days)
    assert "7.2 " in page and "Observation en situation de travail" in page
    assert f'href="/dossiers/{file_id}/evaluation/?branche=btp"' in page


def test_the_plan_refuses_a_branch_the_organisation_is_not_accredited_for(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    page = text(
        client.get(f"/dossiers/{file_id}/plan-evaluation/?branch=proprete&start={MONDAY}&max_minutes_per_day=360")
    )
    assert 'id="id_branch_error"' in page and "Plan proposé" not in page
    revoke(org_a, "btp")
    page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/"))
    assert NO_ACCREDITATION in page and "Calculer le plan" not in page


# --- training offers, decision warnings, jury sections --------------------------------------------------


def test_the_path_builder_shows_the_branch_training_offers_beside_the_objectives(
    org_a: Any, web_client_for: Clients
) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user)
    page = text(client.get(f"/dossiers/{file_id}/parcours/"))
    offers = re.search(r'<div class="training-offers" id="offres-3.1">(.*?)</div>', page, re.S)
    assert offers is not None
    assert "Formations suggérées par la branche" in offers.group(1)
    assert "Outils numériques du chantier" in offers.group(1) and "heures" in offers.group(1)
    assert "Organisme habilité CléA numérique" in offers.group(1)
    assert 'id="offres-7.2"' in page


def test_the_decision_history_shows_the_branch_warnings(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user)  # 7.3 acquired without evidence: BTP warns
    page = text(client.get(f"/dossiers/{file_id}/"))
    warnings = re.search(r'<div class="branch-warnings">(.*?)</div>', page, re.S)
    assert warnings is not None
    assert "Avertissements de la branche" in warnings.group(1)
    assert "[btp.first_aid_evidence] BTP : joindre une preuve" in warnings.group(1)
    assert "Branche : Bâtiment et travaux publics (EXEMPLE)" in page


def test_the_jury_snapshot_carries_the_branch_sections(org_a: Any, web_client_for: Clients) -> None:
    from clea.certification.models import JurySubmission

    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user, gaps=())
    version = record_version(org_a.schema_name, file_id)
    assert client.post(f"/dossiers/{file_id}/jury/", {"version": version}).status_code == 302
    submission = JurySubmission.objects.get(organisation=org_a, file_ref=str(file_id))
    sections = submission.snapshot["branch_sections"]
    assert sections == [
        {
            "branch": "btp",
            "branch_name": "Bâtiment et travaux publics (EXEMPLE)",
            "title": "BTP — modalité d'évaluation",
            "lines": [
                "Domaine 7 évalué en situation réelle de travail ou en mise en situation professionnelle.",
                "Aucune fiche d'observation sur chantier jointe au dossier.",
            ],
        }
    ]


def test_a_plugin_failing_on_the_jury_file_keeps_the_file_unsubmitted(
    org_a: Any, web_client_for: Clients, faulty_host: Callable[[str], None]
) -> None:
    from clea.certification.models import JurySubmission

    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "evaluated", client.user, gaps=())
    faulty_host("clea_jury_file_sections")
    version = record_version(org_a.schema_name, file_id)
    response = client.post(f"/dossiers/{file_id}/jury/", {"version": version})
    assert response.status_code == 502 and "« faulty »" in text(response)
    assert not JurySubmission.objects.filter(organisation=org_a, file_ref=str(file_id)).exists()
    with schema_context(org_a.schema_name):
        assert CandidateFileRecord.objects.get(pk=file_id).state == "ready_for_jury"


def test_planning_starts_from_a_working_day(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    saturday = MONDAY - timedelta(days=2)
    page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/?branch=btp&start={saturday}&max_minutes_per_day=600"))
    first = re.search(r"Journée 1 — ([^<]+)<", page)
    assert first is not None and french_day(MONDAY) in first.group(1)
    too_late = text(client.get(f"/dossiers/{file_id}/plan-evaluation/?branch=btp&start=9999-01-04"))
    assert 'id="id_start_error"' in too_late and "Plan proposé" not in too_late


def test_the_branch_texts_are_translated_into_english(org_a: Any, web_client_for: Clients) -> None:
    client = web_client_for(org_a, "counsellor")
    file_id = file_at(org_a.schema_name, "file_opened", client.user)
    client.post("/langue/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(f"/dossiers/{file_id}/plan-evaluation/?branch=btp&start={MONDAY}&max_minutes_per_day=360"))
    assert "Compute the plan" in page and "Plan proposed by the branch" in page and "Day 1 — " in page
    grid = text(client.get(f"/dossiers/{file_id}/evaluation/"))
    assert "Modalities of the branch" in grid and "real work situation" in grid
