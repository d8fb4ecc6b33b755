"""Production observability: Prometheus metrics on any host, log lines naming tenant and request id."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from clea.observability import context
from clea.observability.logs import ContextFilter, json_logging

pytestmark = pytest.mark.django_db


def test_metrics_are_served_for_any_host() -> None:
    response = Client(HTTP_HOST="10.1.2.3").get("/metrics")  # the pod IP, as Prometheus scrapes it
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method" in response.content


def test_metrics_are_not_served_through_the_ingress_host_names() -> None:
    from django.conf import settings

    assert Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN).get("/metrics").status_code == 404


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(ContextFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_lines_of_a_request_name_its_tenant_and_request_id(org_a: Any, api_client_for: Any) -> None:
    client = api_client_for(org_a, "counsellor")
    handler = _Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/api/files/999999/", HTTP_X_REQUEST_ID="proxy-req-0001")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404 and response["X-Request-ID"] == "proxy-req-0001"
    assert [(r.tenant, r.request_id) for r in handler.records] == [(org_a.schema_name, "proxy-req-0001")]  # type: ignore[attr-defined]


def test_a_made_up_request_id_is_replaced(org_a: Any, api_client_for: Any) -> None:
    response = api_client_for(org_a, "counsellor").get("/api/me/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert response["X-Request-ID"] != "bad id with spaces" and len(response["X-Request-ID"]) == 32


def test_production_log_lines_are_json_with_tenant_and_request_id() -> None:
    config: Any = json_logging("INFO")
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        config["formatters"]["json"]["fmt"], rename_fields=config["formatters"]["json"]["rename_fields"]
    )
    record = logging.LogRecord("clea.journey", logging.INFO, __file__, 1, "dossier ouvert", None, None)
    tokens = context.request_id.set("req-42"), context.tenant.set("org_greta_lyon")
    try:
        ContextFilter().filter(record)
    finally:
        context.request_id.reset(tokens[0])
        context.tenant.reset(tokens[1])
    line = json.loads(formatter.format(record))
    assert line["message"] == "dossier ouvert" and line["level"] == "INFO"
    assert line["tenant"] == "org_greta_lyon" and line["request_id"] == "req-42"
