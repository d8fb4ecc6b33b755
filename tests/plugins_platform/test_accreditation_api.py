"""Federation API: branch registry and accreditations (public schema, federation administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from clea_tenants.accreditations import sync_branches
from clea_tenants.models import Accreditation, Branch, Organisation

pytestmark = pytest.mark.django_db

BRANCHES = "/api/federation/branches/"


def accreditations_url(org: Any) -> str:
    return f"/api/federation/organisations/{org.slug}/accreditations/"


def version_of(org: Any) -> int:
    return int(Organisation.objects.values_list("accreditation_version", flat=True).get(pk=org.pk))


def test_the_registry_lists_every_installed_branch(federation_client: Any, org_a: Any) -> None:
    response = federation_client.get(BRANCHES)
    assert response.status_code == 200, response.json()
    rows = {row["code"]: row for row in response.json()}
    assert {"btp", "proprete", "transport_logistique"} <= set(rows)
    btp = rows["btp"]
    assert btp["installed"] is True and btp["version"] and btp["contact"] and btp["plugin_name"] == "btp"
    assert btp["name"].startswith("Bâtiment")
    assert btp["active_accreditations"] >= 1  # org A (test fixtures)


def test_sync_branches_is_idempotent_and_keeps_branches_whose_plugin_is_gone(db: None) -> None:
    sync_branches()
    Branch.objects.create(code="ancienne", name="Branche retirée", plugin_name="ancienne")
    Branch.objects.filter(code="btp").update(name="ancien nom")
    report = sync_branches()
    assert "btp" in report.updated and report.not_installed == ["ancienne"]
    assert Branch.objects.get(code="btp").name.startswith("Bâtiment")
    again = sync_branches()
    assert not again.created and not again.updated and {"btp", "proprete"} <= set(again.unchanged)


def test_sync_branches_command(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    sync_branches()
    Branch.objects.filter(code="transport_logistique").delete()
    call_command("sync_branches")
    assert "created: transport_logistique" in capsys.readouterr().out
    assert Branch.objects.filter(code="transport_logistique").exists()


def test_grant_list_and_revoke(federation_client: Any, org_a: Any) -> None:
    before = version_of(org_a)
    response = federation_client.post(accreditations_url(org_a), {"branch": "transport_logistique"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["accreditation"]["branch"] == "transport_logistique" and body["accreditation"]["active"] is True
    assert body["accreditation_version"] == before + 1 == version_of(org_a)

    listed = federation_client.get(accreditations_url(org_a)).json()
    assert listed["active_branches"] == ["btp", "transport_logistique"]
    assert listed["accreditation_version"] == before + 1

    revoked = federation_client.post(f"{accreditations_url(org_a)}transport_logistique/revoke/")
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["accreditation"]["active"] is False and revoked.json()["accreditation"]["revoked_at"]
    assert version_of(org_a) == before + 2

    listed = federation_client.get(accreditations_url(org_a)).json()
    assert listed["active_branches"] == ["btp"]
    history = [(a["branch"], a["active"]) for a in listed["accreditations"]]
    assert ("transport_logistique", False) in history and ("btp", True) in history


def test_grant_again_after_revoking_keeps_the_history(federation_client: Any, org_b: Any) -> None:
    assert federation_client.post(f"{accreditations_url(org_b)}proprete/revoke/").status_code == 200
    assert federation_client.post(accreditations_url(org_b), {"branch": "proprete"}, format="json").status_code == 201
    rows = Accreditation.objects.filter(organisation=org_b, branch__code="proprete")
    assert rows.count() == 2 and rows.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"branch": "boulangerie"}, "unknown_branch"),
        ({"branch": "btp"}, "already_accredited"),  # org A already holds it (test fixtures)
        ({}, "validation_error"),
        ({"branch": "pas un code"}, "validation_error"),
    ],
)
def test_grant_refusals_are_400_and_change_nothing(
    federation_client: Any, org_a: Any, payload: dict[str, str], code: str
) -> None:
    before = (version_of(org_a), Accreditation.objects.count())
    response = federation_client.post(accreditations_url(org_a), payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == code, response.json()
    assert response.json()["detail"]
    assert (version_of(org_a), Accreditation.objects.count()) == before


def test_a_branch_whose_plugin_is_not_installed_cannot_be_granted(federation_client: Any, org_a: Any) -> None:
    Branch.objects.create(code="ancienne", name="Branche retirée", plugin_name="ancienne")
    response = federation_client.post(accreditations_url(org_a), {"branch": "ancienne"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "branch_not_installed"


def test_revoking_what_is_not_accredited_is_400(federation_client: Any, org_a: Any) -> None:
    before = version_of(org_a)
    for branch in ("proprete", "boulangerie"):
        response = federation_client.post(f"{accreditations_url(org_a)}{branch}/revoke/")
        assert response.status_code == 400 and response.json()["code"] == "not_accredited", response.json()
    assert version_of(org_a) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/federation/organisations/inconnu/accreditations/", None),
        ("post", "/api/federation/organisations/inconnu/accreditations/", {"branch": "btp"}),
        ("post", "/api/federation/organisations/inconnu/accreditations/btp/revoke/", None),
        ("get", "/api/federation/branches/inconnue/", None),
    ],
)
def test_unknown_organisation_or_branch_is_404(federation_client: Any, method: str, path: str, body: Any) -> None:
    response = getattr(federation_client, method)(path, body, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["admin", "counsellor"])
def test_tenant_users_cannot_reach_the_federation_api(
    org_a: Any, api_client_for: Callable[..., Any], role: str
) -> None:
    client = api_client_for(org_a, role)
    before = version_of(org_a)
    for method, path in (
        ("get", BRANCHES),
        ("get", accreditations_url(org_a)),
        ("post", accreditations_url(org_a)),
        ("post", f"{accreditations_url(org_a)}btp/revoke/"),
    ):
        response = getattr(client, method)(path, {"branch": "proprete"}, format="json")
        assert response.status_code == 404, (method, path, response.status_code)  # not routed in a tenant
    assert version_of(org_a) == before


def test_only_federation_administrators(org_a: Any, api_client_for: Callable[..., Any]) -> None:
    analyst = api_client_for(None, "analyst")
    assert analyst.get(BRANCHES).status_code == 403
    response = analyst.post(accreditations_url(org_a), {"branch": "proprete"}, format="json")
    assert response.status_code == 403
    analyst.credentials()  # anonymous
    assert analyst.get(accreditations_url(org_a)).status_code == 401
