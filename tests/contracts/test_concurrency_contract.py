"""No lost update, on every resource (#21 §2): every API operation that changes an existing resource takes the
version its client read (``If-Match`` header or body ``version``) and answers 409 ``version_conflict`` when it
is stale.

The list of writable operations is read from both OpenAPI schemas (organisation and federation), so a new
endpoint is checked the day it appears: PUT, PATCH and DELETE, and POST on a resource of its own (a path with
a parameter). The only exceptions are below, each with why no version is needed.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

# (method, path) -> why the operation needs no version
NO_VERSION_NEEDED: dict[tuple[str, str], str] = {
    ("POST", "/api/files/{id}/evidence/"): "adds a new piece to the file; changes nothing already stored",
    ("POST", "/api/files/{id}/notes/"): "adds a new progress note; notes are never edited",
    ("POST", "/api/candidates/{id}/erase/"): "GDPR erasure: one-way, a second one is refused",
    ("POST", "/api/federation/certificates/{number}/revoke/"): "one-way: a second revocation is refused (409)",
    ("POST", "/api/federation/tasks/failed/{id}/retry/"): "operations: sends a task again; idempotent by its ledger",
    ("POST", "/api/federation/tasks/outbox/{id}/resend/"): "operations: relays a row again; idempotent by its task",
    ("POST", "/api/files/{id}/evidence/{uid}/review/"): "one-way: a piece is reviewed once (already_reviewed after)",
    ("POST", "/api/files/{id}/accommodations/"): "adds a new accommodation record; records are never edited",
    ("POST", "/api/files/{id}/evaluation-plan/saved/"): "saves a new plan beside the earlier ones (history)",
    ("POST", "/api/collective-sessions/{session_id}/enrolments/"): "adds an enrolment; capacity checked under lock",
    ("POST", "/api/referrals/{id}/accept/"): "one-way: a referral is answered once (409 afterwards)",
    ("POST", "/api/referrals/{id}/decline/"): "one-way: a referral is answered once (409 afterwards)",
    ("POST", "/api/referrals/{id}/withdraw-consent/"): "one-way: consent, once withdrawn, stays withdrawn",
    ("POST", "/api/prescriber/referrals/{id}/withdraw-consent/"): "one-way: consent, once withdrawn, stays withdrawn",
    ("POST", "/api/federation/prescribers/{id}/approve/"): "one-way: an organisation is approved once",
    ("POST", "/api/federation/register/establishments/{id}/habilitations/"): "applies for a new habilitation",
    ("POST", "/api/federation/cpf/batches/{batch_id}/acknowledgement/"): "imports the CDC's document into the batch",
    ("POST", "/api/federation/cpf/batches/{batch_id}/report/"): "imports the CDC's document into the batch",
}


def writable_operations(urlconf: str) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    schema: dict[str, Any] = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("put", "patch", "delete") or (method == "post" and "{" in path):
                found.append((method.upper(), path, operation, schema))
    return found


def _request_properties(operation: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    content = operation.get("requestBody", {}).get("content", {})
    names: set[str] = set()
    for media in content.values():
        body = media.get("schema", {})
        ref = body.get("$ref", "")
        if ref:
            body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        names |= set(body.get("properties", {}))
    return names


def takes_a_version(operation: dict[str, Any], schema: dict[str, Any]) -> bool:
    headers = {p["name"].lower() for p in operation.get("parameters", []) if p.get("in") == "header"}
    return "if-match" in headers or "version" in _request_properties(operation, schema)


@pytest.mark.parametrize("urlconf", ["clea.urls_tenants", "clea.urls_public"])
def test_every_change_to_an_existing_resource_takes_a_version(urlconf: str) -> None:
    operations = writable_operations(urlconf)
    assert len(operations) > 5  # the schema was read
    missing = [
        f"{method} {path}"
        for method, path, operation, schema in operations
        if (method, path) not in NO_VERSION_NEEDED and not takes_a_version(operation, schema)
    ]
    assert missing == [], f"these operations change a resource without taking its version: {missing}"


def test_the_exceptions_are_real_operations() -> None:
    urlconfs = ("clea.urls_tenants", "clea.urls_public")
    known = {(m, p) for urlconf in urlconfs for m, p, *_ in writable_operations(urlconf)}
    assert set(NO_VERSION_NEEDED) <= known, set(NO_VERSION_NEEDED) - known
