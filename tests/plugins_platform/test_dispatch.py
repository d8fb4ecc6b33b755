"""Per-tenant dispatch: an organisation only reaches the branch plugins it is accredited for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context

from clea.journey.branches import accreditation_state, pinned_branches, tenant_branches
from clea.kernel.referential import default_referential
from clea_tenants.accreditations import grant, revoke

pytestmark = pytest.mark.django_db

MODALITIES = "/api/branches/modalities/"


def branches_seen(body: dict[str, Any]) -> set[str]:
    return {m["branch"] for sub in body["subdomains"] for m in sub["modalities"]}


def test_org_a_sees_btp_modalities_only(counsellor_a: Any) -> None:
    response = counsellor_a.get(MODALITIES)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [b["code"] for b in body["branches"]] == ["btp"]
    assert branches_seen(body) == {"btp"}
    referential = default_referential()
    assert body["referential_id"] == referential.identity
    assert [s["code"] for s in body["subdomains"]] == [sub.code for _, sub in referential.iter_subdomains()]
    assert all(sub["modalities"] for sub in body["subdomains"])  # BTP covers every sub-domain
    seven_two = next(s for s in body["subdomains"] if s["code"] == "7.2")
    modality = seven_two["modalities"][0]
    assert modality["key"] == f"btp:7.2:{modality['method']}" and modality["method_label"]
    assert modality["real_work_situation"] is True and modality["scenarios"]


def test_org_b_sees_proprete_only_and_never_org_a_branches(counsellor_a: Any, counsellor_b: Any) -> None:
    body_b = counsellor_b.get(MODALITIES).json()
    assert [b["code"] for b in body_b["branches"]] == ["proprete"] and branches_seen(body_b) == {"proprete"}
    body_a = counsellor_a.get(MODALITIES).json()
    assert "proprete" not in str(body_a) and "btp:" not in str(body_b)


def test_host_routing_gives_the_same_isolation(org_b: Any, api_client_for: Callable[..., Any]) -> None:
    client = api_client_for(org_b, "admin", via="host")
    assert branches_seen(client.get(MODALITIES).json()) == {"proprete"}


def test_a_token_of_org_a_does_not_open_org_b_modalities(counsellor_a: Any, org_b: Any) -> None:
    counsellor_a.defaults["HTTP_X_CLEA_TENANT"] = org_b.slug
    assert counsellor_a.get(MODALITIES).status_code == 401  # the token does not exist in B's schema


def test_revoking_and_granting_refreshes_the_dispatch(counsellor_a: Any, federation_client: Any, org_a: Any) -> None:
    first = counsellor_a.get(MODALITIES).json()
    url = f"/api/federation/organisations/{org_a.slug}/accreditations/"
    assert federation_client.post(url, {"branch": "transport_logistique"}, format="json").status_code == 201
    assert federation_client.post(f"{url}btp/revoke/").status_code == 200
    second = counsellor_a.get(MODALITIES).json()
    assert [b["code"] for b in second["branches"]] == ["transport_logistique"]
    assert branches_seen(second) == {"transport_logistique"}
    assert second["accreditation_version"] == first["accreditation_version"] + 2


def test_no_accreditation_means_no_modality(counsellor_a: Any, org_a: Any) -> None:
    revoke(org_a, "btp")
    body = counsellor_a.get(MODALITIES).json()
    assert body["branches"] == [] and branches_seen(body) == set()
    assert len(body["subdomains"]) == 28  # the sub-domains are listed, each without modality (a visible gap)


def test_branch_filter_and_its_refusal(counsellor_a: Any, org_a: Any) -> None:
    grant(org_a, "proprete")
    assert branches_seen(counsellor_a.get(MODALITIES).json()) == {"btp", "proprete"}
    only = counsellor_a.get(MODALITIES, {"branch": "proprete"}).json()
    assert [b["code"] for b in only["branches"]] == ["proprete"] and branches_seen(only) == {"proprete"}
    refused = counsellor_a.get(MODALITIES, {"branch": "transport_logistique"})
    assert refused.status_code == 400 and refused.json()["code"] == "branch_not_accredited"
    unknown = counsellor_a.get(MODALITIES, {"referential": "NOPE@0"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "validation_error"


@pytest.mark.parametrize("role", ["candidate", "jury_member"])
def test_roles_outside_planning_are_refused(org_a: Any, api_client_for: Callable[..., Any], role: str) -> None:
    assert api_client_for(org_a, role).get(MODALITIES).status_code == 403


def test_tenant_branches_follows_the_connection_and_the_version(org_a: Any, org_b: Any) -> None:
    with schema_context(org_a.schema_name):
        a = tenant_branches()
        assert a.branches == {"btp"} and tenant_branches() is a  # the host caches the caller
    with schema_context(org_b.schema_name):
        assert tenant_branches().branches == {"proprete"}
    assert tenant_branches().branches == frozenset()  # public schema: no branch
    grant(org_a, "transport_logistique")
    with schema_context(org_a.schema_name):
        refreshed = tenant_branches()
    assert refreshed is not a and refreshed.branches == {"btp", "transport_logistique"}
    assert refreshed.version == a.version + 1


def test_one_cheap_query_per_lookup_and_none_inside_an_action(org_a: Any, django_assert_num_queries: Any) -> None:
    with schema_context(org_a.schema_name):
        accreditation_state(org_a.schema_name)  # the connection's first query in a schema also sets search_path
        with django_assert_num_queries(1):
            codes, version = accreditation_state(org_a.schema_name)
        assert codes == {"btp"} and version >= 1
        with django_assert_num_queries(1), pinned_branches() as caller:
            for _ in range(5):
                assert tenant_branches() is caller
