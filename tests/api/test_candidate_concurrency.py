"""No lost update on a candidate (#21 §2): partial updates write only what is sent; a stale version is a 409."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from clea.journey.models import Candidate


def _candidate(org: Any) -> Candidate:
    with schema_context(org.schema_name):
        return Candidate.objects.create(first_name="Léa", last_name="Martin", email="lea@example.test")


@pytest.mark.django_db
def test_an_etag_then_a_stale_if_match_gives_409_and_changes_nothing(org_a: Any, api_client_for: Any) -> None:
    client = api_client_for(org_a, "counsellor")
    candidate = _candidate(org_a)
    read = client.get(f"/api/candidates/{candidate.pk}/")
    etag = read["ETag"]
    assert read.status_code == 200 and read.json()["version"] == 1 and etag == f'"candidate-{candidate.pk}-1"'

    first = client.patch(f"/api/candidates/{candidate.pk}/", {"phone": "0601020304"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 2 and first["ETag"] == f'"candidate-{candidate.pk}-2"'

    stale = client.patch(f"/api/candidates/{candidate.pk}/", {"last_name": "Durand"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    by_body = client.patch(f"/api/candidates/{candidate.pk}/", {"last_name": "Durand", "version": 1}, format="json")
    assert by_body.status_code == 409
    bad = client.patch(f"/api/candidates/{candidate.pk}/", {"last_name": "Durand", "version": "x"}, format="json")
    assert bad.status_code == 400 and "version" in bad.json()["fields"]
    with schema_context(org_a.schema_name):
        stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.last_name, stored.phone, stored.version) == ("Martin", "0601020304", 2)


def _concurrently(*calls: Any) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)  # each thread commits on its own connection
def test_two_concurrent_patches_with_one_version_give_one_200_and_one_409(org_a: Any, api_client_for: Any) -> None:
    candidate = _candidate(org_a)
    url = f"/api/candidates/{candidate.pk}/"
    clients = [api_client_for(org_a, "counsellor") for _ in range(2)]
    for _ in range(5):
        with schema_context(org_a.schema_name):
            version = Candidate.objects.get(pk=candidate.pk).version
        etag = f'"candidate-{candidate.pk}-{version}"'
        responses = _concurrently(
            lambda v=version, e=etag: clients[0].patch(url, {"phone": f"06{v:08d}"}, format="json", HTTP_IF_MATCH=e),
            lambda v=version, e=etag: clients[1].patch(url, {"email": f"v{v}@x.test"}, format="json", HTTP_IF_MATCH=e),
        )
        assert sorted(r.status_code for r in responses) == [200, 409]
        with schema_context(org_a.schema_name):
            assert Candidate.objects.get(pk=candidate.pk).version == version + 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_of_different_fields_without_version_lose_nothing(
    org_a: Any, api_client_for: Any
) -> None:
    candidate = _candidate(org_a)
    url = f"/api/candidates/{candidate.pk}/"
    clients = [api_client_for(org_a, "counsellor") for _ in range(2)]
    for round_number in range(10):
        responses = _concurrently(
            lambda n=round_number: clients[0].patch(url, {"phone": f"07{n:08d}"}, format="json"),
            lambda n=round_number: clients[1].patch(url, {"email": f"r{n}@example.test"}, format="json"),
        )
        assert [r.status_code for r in responses] == [200, 200]
        with schema_context(org_a.schema_name):
            stored = Candidate.objects.get(pk=candidate.pk)
        assert (stored.phone, stored.email) == (f"07{round_number:08d}", f"r{round_number}@example.test")
