"""Issue 17 §1: the OpenAPI schemas are the truth — schemathesis with **every** check over both schemas.

Every operation of the organisation schema and of the federation schema, generated in positive **and**
negative mode, is called in-process through the WSGI application (same database transaction as the test,
rolled back afterwards) by authenticated users of every role, and each answer goes through all of
schemathesis' checks (its default set: not_a_server_error, status_code_conformance,
content_type_conformance, response_headers_conformance, response_schema_conformance,
positive_data_acceptance, negative_data_rejection, missing_required_header, unsupported_method,
ignored_auth, use_after_free, ensure_resource_availability...). The run must end with zero failures.

Bounded and deterministic: ``MAX_EXAMPLES`` examples per operation, mode and role, derandomised (fixed seed),
no example database. ``CLEA_FUZZ_EXAMPLES`` raises the bound for a longer local run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from tests.fixtures.tenants import make_user, token_for

from clea_tenants.schemas import use_public_schema

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = int(os.environ.get("CLEA_FUZZ_EXAMPLES", "3"))
SEED = 17
SKIPPED = ("/api/auth/token/",)  # counts failed sign-ins: fuzzing it would lock the account out (tested apart)
ORGANISATION_ROLES = ("admin", "counsellor", "trainer", "candidate")
FEDERATION_ROLES = ("federation_admin", "analyst", "jury_member")
SETTINGS = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    yield WSGIHandler()
    use_public_schema()


# A schema-valid request may still be refused by what no schema can say: a business rule (a domain ``code``
# and usually a ``rule``), a reference to an object that does not exist, a date no person or session can have
# (relative to today), one of two exclusive fields, a checksum (SIRET). Each has its own machine code (``codes``
# in the error body); any other refusal of schema-valid data is a lie of the schema.
REFERENCE_CODES = {"does_not_exist", "invalid_choice", "invalid_pk_value", "implausible", "one_of", "invalid_siret"}
PASSWORD_POLICY = {"password_policy", "reserved_slug"}  # Django's password validators; reserved slugs
# the content of an uploaded document (a referential's YAML or CSV), checked by the kernel, not describable by a schema
DOCUMENT_CODES = {"invalid_document"}
RULE_CODES = REFERENCE_CODES | PASSWORD_POLICY | DOCUMENT_CODES
RULE_STATUSES = {400, 409, 423}


def positive_data_refused_only_by_rules(ctx: Any, response: Any, case: Any) -> None:
    """schemathesis' positive_data_acceptance, allowing the refusals above (and nothing else)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return
    if response.status_code in (401, 403, 404):
        return  # this role may not, or the (generated) id does not exist in this organisation
    body = response.json() if response.headers.get("content-type", [""])[0].startswith("application/json") else {}
    code = body.get("code", "")
    if response.status_code in RULE_STATUSES and code not in ("validation_error", "parse_error", "bad_request"):
        return
    codes = {c for values in body.get("codes", {}).values() for c in values}
    if response.status_code == 400 and codes and codes <= RULE_CODES:
        return
    raise AssertionError(f"Schema-valid request refused: {response.status_code} {str(body)[:400]}")


def _property_test(op: Any, headers: dict[str, str], mode: GenerationMode, calls: list[int]) -> Callable[[], None]:
    @seed(SEED)
    @SETTINGS
    @given(case=op.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        try:
            with transaction.atomic():  # each call in a savepoint: one refused write cannot poison the next
                response = case.call_and_validate(
                    headers=headers,
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[positive_data_refused_only_by_rules],
                )
                calls.append(response.status_code)
                transaction.set_rollback(True)
        finally:
            use_public_schema()

    return check


def run_schema(app: WSGIHandler, host: str, tokens: dict[str, str]) -> tuple[list[str], list[int]]:
    # Django closes "old" connections around each request, which would close the test's transaction; the
    # Django test client switches this off per request (and back on after): do the same for the whole run.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _run_schema(app, host, tokens)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_schema(app: WSGIHandler, host: str, tokens: dict[str, str]) -> tuple[list[str], list[int]]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers={"Host": host})
    failures: list[str] = []
    calls: list[int] = []
    for result in schema.get_all_operations():
        op = result.ok()  # type: ignore[union-attr]  # an unparsable operation fails the test here
        if op.path in SKIPPED:
            continue
        for index, (role, token) in enumerate(tokens.items()):
            headers = {"Host": host, "Authorization": f"Token {token}"}
            # positive data for every role; negative data (the input layer's refusals) for the first role, the
            # most privileged: the others are refused earlier (403), which says nothing about the input layer
            modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if index == 0 else (GenerationMode.POSITIVE,)
            for mode in modes:
                try:
                    _property_test(op, headers, mode, calls)()
                except Unsatisfiable:
                    continue  # nothing to make negative (no parameter, no body): no case to send
                except (Exception, BaseExceptionGroup) as exc:  # collect every failing operation, report all
                    failures.append(f"[{role} {mode.value}] {op.method.upper()} {op.path}: {str(exc)[:700]}")
    return failures, calls


def test_organisation_schema_every_check_every_role(wsgi_app: WSGIHandler, org_a: Any, world_a: Any) -> None:
    tokens = {role: token_for(org_a.schema_name, make_user(org_a.schema_name, role)) for role in ORGANISATION_ROLES}
    failures, calls = run_schema(wsgi_app, f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}", tokens)
    assert failures == [], f"{len(failures)} failures\n\n" + "\n\n".join(failures)
    assert len(calls) > 200 and calls.count(200) > 10, calls


def test_federation_schema_every_check_every_role(wsgi_app: WSGIHandler, federation_client: Any) -> None:
    tokens = {role: token_for("public", make_user("public", role)) for role in FEDERATION_ROLES}
    failures, calls = run_schema(wsgi_app, settings.CLEA_BASE_DOMAIN, tokens)
    assert failures == [], f"{len(failures)} failures\n\n" + "\n\n".join(failures)
    assert len(calls) > 50 and calls.count(200) > 5, calls
