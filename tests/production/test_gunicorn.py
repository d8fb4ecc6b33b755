"""Production settings under gunicorn (several worker processes): static files, metrics, access logs."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.production.conftest import Server

pytestmark = [pytest.mark.db]

IMMUTABLE_MAX_AGE = 315_360_000  # WhiteNoise: ten years for content-hashed names


class StaticReferences(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag == "script" else found.get("href") if tag == "link" else None
        if url and url.startswith("/static/"):
            self.urls.append(url)


@pytest.fixture(scope="module")
def server(gunicorn_factory: Callable[..., Server], tmp_path_factory: pytest.TempPathFactory) -> Server:
    metrics_dir = tmp_path_factory.mktemp("prometheus-multiproc")
    (metrics_dir / "stale_counter_1.db").write_bytes(b"left by a previous container")  # emptied at start
    return gunicorn_factory(workers=3, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))


def test_every_static_file_a_page_references_is_served_compressed_hashed_and_cached(server: Server) -> None:
    status, _, page = server.get("/connexion/")
    assert status == 200, page[:500]
    parser = StaticReferences()
    parser.feed(page.decode())
    assert len(parser.urls) >= 3, parser.urls  # clea.css, htmx.min.js, clea.js
    for name in ("web/clea.css", "web/htmx.min.js", "web/clea.js"):
        assert any(
            re.fullmatch(rf"/static/{name.rsplit('.', 1)[0]}\.[0-9a-f]{{12}}\.{name.rsplit('.', 1)[1]}", u)
            for u in parser.urls
        ), (name, parser.urls)
    for url in parser.urls:
        status, headers, content = server.get(url, headers={"Accept-Encoding": "gzip"})
        assert status == 200, url
        assert f"max-age={IMMUTABLE_MAX_AGE}" in headers["cache-control"] and "immutable" in headers["cache-control"]
        assert headers.get("content-encoding") == "gzip", url
        assert gzip.decompress(content)
        kind = headers["content-type"]
        assert ("text/css" in kind) if url.endswith(".css") else ("javascript" in kind), (url, kind)
        assert headers.get("vary", "").lower() == "accept-encoding"
        assert headers["x-content-type-options"] == "nosniff"
        # for any host: static files need no tenant lookup (served before routing)
        assert server.get(url, host="10.0.0.9")[0] == 200
    assert server.get("/static/web/clea.css")[0] == 200  # the unhashed name too (short cache)
    assert server.get("/static/web/absent.css")[0] == 404


def counter(server: Server, name: str) -> float:
    status, _, text = server.get("/metrics", host="127.0.0.1")
    assert status == 200
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in text.decode().splitlines()
        if line.startswith(name + " ") or line.startswith(name + "{")
    ]
    assert values, f"{name} not exported"
    return sum(values)


def test_counters_are_exact_across_gunicorn_workers(server: Server) -> None:
    name = "django_http_requests_before_middlewares_total"
    before = counter(server, name)
    requests = 60
    for _ in range(requests):
        assert server.get("/connexion/")[0] == 200
    after = counter(server, name)
    assert after - before == requests + 1  # the second scrape counts itself; whichever worker answered


def test_periodic_task_metrics_are_exported(server: Server) -> None:
    status, _, text = server.get("/metrics", host="127.0.0.1")
    body = text.decode()
    assert 'clea_health_check_ok{check="schedules"}' in body
    assert re.search(r'clea_periodic_task_missing\{schedule="clea: R8 reminders",task="[^"]+"\} [01]', body)
    status, _, detail = server.get("/healthz/detail", host="127.0.0.1")
    assert status == 200 and "schedules" in json.loads(detail)["checks"]
    assert server.get("/healthz/detail")[0] == 404  # not through the ingress host names


def test_access_log_lines_are_json_with_tenant_and_request_id_and_no_query_string(server: Server) -> None:
    status, headers, _ = server.get("/connexion/?last_name=Dupont&email=jean.dupont%40example.org")
    assert status == 200
    request_id = headers["x-request-id"]
    log: Path = server.log
    deadline = time.monotonic() + 10
    while request_id not in log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.2)
    lines = [json.loads(line) for line in log.read_text(errors="replace").splitlines() if request_id in line]
    access = [line for line in lines if line.get("logger") == "clea.access"]
    assert len(access) == 1, lines
    entry = access[0]
    assert entry["path"] == "/connexion/" and entry["status"] == 200 and entry["method"] == "GET"
    assert entry["tenant"] == "public" and entry["request_id"] == request_id
    text = log.read_text(errors="replace")
    assert "Dupont" not in text and "jean.dupont" not in text
