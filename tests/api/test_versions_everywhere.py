"""Every resource changed through the API honours its version (#21 §2): GET gives an ETag, a change sent with
it succeeds and moves it on, the same change sent with the old one is a 409 ``version_conflict`` that changes
nothing. (``tests/contracts/test_concurrency_contract.py`` checks that no writable endpoint is left out.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.certification.conftest import JuryFixture, jury, new_member  # noqa: F401 - the jury fixture

from clea.certification.models import College, Jury, JuryMember, JurySession
from clea.privacy.models import RetentionPolicy

pytestmark = pytest.mark.django_db


def _stale_change_is_refused(
    client: Any, read: str, change: Callable[[dict[str, str]], Any], stored: Callable[[], object]
) -> None:
    first_read = client.get(read)
    assert first_read.status_code == 200, first_read.content
    etag = first_read["ETag"]
    done = change({"HTTP_IF_MATCH": etag})
    assert done.status_code in (200, 201), done.content
    after = stored()
    stale = change({"HTTP_IF_MATCH": etag})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict", stale.content
    assert stored() == after  # nothing changed
    assert client.get(read)["ETag"] != etag


def test_jury(federation_client: Any) -> None:
    found = Jury.objects.create(name="Jury paritaire Bretagne", region="53")
    url = f"/api/federation/juries/{found.pk}/"
    _stale_change_is_refused(
        federation_client,
        url,
        lambda headers: federation_client.patch(url, {"name": "Jury Bretagne"}, format="json", **headers),
        lambda: Jury.objects.values_list("name", "version").get(pk=found.pk),
    )
    assert federation_client.get(url).json()["version"] == 2


def test_jury_member_only_the_fields_sent_are_written(federation_client: Any) -> None:
    member = new_member("Émile", "Patron", College.EMPLOYER)
    url = f"/api/federation/jury-members/{member.pk}/"
    _stale_change_is_refused(
        federation_client,
        url,
        lambda headers: federation_client.patch(url, {"email": "emile@example.test"}, format="json", **headers),
        lambda: JuryMember.objects.values_list("email", "first_name", "version").get(pk=member.pk),
    )
    stored = JuryMember.objects.get(pk=member.pk)
    assert (stored.first_name, stored.email, stored.version) == ("Émile", "emile@example.test", 2)
    by_body = federation_client.patch(url, {"last_name": "Durand", "version": 1}, format="json")
    assert by_body.status_code == 409


def test_jury_session_and_its_actions(federation_client: Any, jury: JuryFixture) -> None:  # noqa: F811
    session = JurySession.objects.create(jury=jury.jury, starts_at=timezone.now() + timedelta(days=3), place="Rennes")
    url = f"/api/federation/jury-sessions/{session.pk}/"
    _stale_change_is_refused(
        federation_client,
        url,
        lambda headers: federation_client.patch(url, {"place": "Brest"}, format="json", **headers),
        lambda: JurySession.objects.values_list("place", "version").get(pk=session.pk),
    )
    members = [m.pk for m in (*jury.employers[:1], *jury.employees[:1])]
    read = federation_client.get(url).json()["version"]
    convened = federation_client.post(f"{url}convene/", {"members": members, "version": read}, format="json")
    assert convened.status_code == 200 and convened.json()["version"] == read + 1, convened.content
    stale = federation_client.post(f"{url}convene/", {"members": members[:1], "version": read}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert set(JurySession.objects.get(pk=session.pk).convened.values_list("pk", flat=True)) == set(members)


def test_retention_policy(org_a: Any, api_client_for: Callable[..., Any]) -> None:
    admin = api_client_for(org_a, "admin")
    body = {"closed_file_months": 24, "evidence_months": 12, "unopened_file_months": 6, "login_log_months": 6}

    def stored() -> object:
        from django_tenants.utils import schema_context

        with schema_context(org_a.schema_name):
            return RetentionPolicy.objects.values_list("closed_file_months", "version").get(pk=1)

    _stale_change_is_refused(
        admin,
        "/api/privacy/retention/",
        lambda headers: admin.put(
            "/api/privacy/retention/",
            {**body, "closed_file_months": body["closed_file_months"] + 1},
            format="json",
            **headers,
        ),
        stored,
    )


def test_organisation_status(federation_client: Any, org_b: Any) -> None:
    from clea_tenants.models import Organisation

    url = f"/api/federation/organisations/{org_b.slug}/"
    _stale_change_is_refused(
        federation_client,
        url,
        lambda headers: federation_client.post(f"{url}suspend/", format="json", **headers),
        lambda: Organisation.objects.values_list("status", "version").get(pk=org_b.pk),
    )
    stale_delete = federation_client.delete(url, HTTP_IF_MATCH='"organisation-1-1"')
    assert stale_delete.status_code in (409,), stale_delete.content
    assert Organisation.objects.filter(pk=org_b.pk).exists()
    federation_client.post(f"{url}reactivate/", format="json")


def test_accreditations(federation_client: Any, org_b: Any) -> None:
    from clea_tenants.models import Accreditation

    url = f"/api/federation/organisations/{org_b.slug}/accreditations/"
    _stale_change_is_refused(
        federation_client,
        url,
        lambda headers: (
            federation_client.post(f"{url}proprete/revoke/", format="json", **headers)
            if Accreditation.objects.filter(organisation=org_b, branch__code="proprete", revoked_at=None).exists()
            else federation_client.post(url, {"branch": "proprete"}, format="json", **headers)
        ),
        lambda: sorted(Accreditation.objects.filter(organisation=org_b).values_list("branch__code", "revoked_at")),
    )
