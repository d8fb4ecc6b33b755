"""Headers, CSP without inline code, deploy checks, size limits on every input, uploads judged by content."""

from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "htmx inline handler"),
]


def test_templates_have_no_inline_script_or_style() -> None:
    """The CSP allows scripts and styles from 'self' only: templates must not need more."""
    problems = []
    for folder in ("platform", "tenants", "plugins", "branch_modalities"):
        for path in (ROOT / folder).rglob("templates/**/*.html"):
            text = path.read_text(encoding="utf-8")
            problems += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert problems == []


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(org_a: Any, web_client_for: Any, api_client_for: Any) -> None:
    page = web_client_for(org_a, "counsellor").get("/")
    api = api_client_for(org_a, "counsellor").get("/api/me/")
    for response in (page, api):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    assert b'name="htmx-config"' in page.content  # htmx injects no <style> and never evals


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "prod-like-" + "k3y-" * 16,
        "CLEA_SIGNING_KEY_PASSPHRASE": "signing-" + "p4ss-" * 8,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clea_dev"),
        "CLEA_BASE_DOMAIN": "clea.example",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=clea.settings.production",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_harden_cookies_and_transport() -> None:
    source = (ROOT / "platform/clea/settings/production.py").read_text(encoding="utf-8")
    for setting in (
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        'X_FRAME_OPTIONS = "DENY"',
        "SECURE_SSL_REDIRECT",
        "SECURE_CONTENT_TYPE_NOSNIFF = True",
    ):
        assert setting in source
    assert settings.CSRF_COOKIE_HTTPONLY and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_oversized_requests_are_refused_before_reading(org_a: Any, api_client_for: Any) -> None:
    client = api_client_for(org_a, "counsellor")
    big = "x" * (settings.CLEA_MAX_REQUEST_BYTES + 1)
    response = client.post("/api/files/", {"candidate": {"first_name": big}}, format="json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    response = client.post("/api/files/", {"candidate": {"first_name": "x" * 3_000_000}}, format="json")
    assert response.status_code == 413  # under the request limit, over the 2.5 MB of non-file data
    response = client.post("/api/files/", {"candidate": {"first_name": "x" * 300_000}}, format="json")
    assert response.status_code == 400  # under both limits, over the field's max_length


@pytest.mark.django_db
def test_uploads_are_judged_by_content_not_by_name(org_a: Any, api_client_for: Any) -> None:
    from tests.api.journey_helpers import walk_to

    client = api_client_for(org_a, "counsellor")
    body = walk_to(client, "file_opened")
    url = f"/api/files/{body['id']}/evidence/"
    disguised = SimpleUploadedFile("preuve.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, content_type="application/pdf")
    refused = client.post(url, {"content": disguised})
    assert refused.status_code == 400 and refused.json()["code"] == "evidence_type_refused"
    html = SimpleUploadedFile("preuve.pdf", b"<html><script>alert(1)</script>\x00\x01", content_type="application/pdf")
    assert client.post(url, {"content": html}).json()["code"] == "evidence_type_refused"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    accepted = client.post(url, {"content": SimpleUploadedFile("scan.pdf", png, content_type="application/pdf")})
    assert accepted.status_code == 201 and accepted.json()["content_type"] == "image/png"  # content wins


INPUT_SERIALIZER_MODULES = (
    "clea.journey.api.serializers",
    "clea_tenants.api.serializers",
    "clea.privacy.api",
    "clea.api.auth",
)


def _unbounded_fields(serializer: serializers.Serializer[Any], prefix: str) -> list[str]:
    found = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListField):
            if field.max_length is None:
                found.append(f"{prefix}{name} (list)")
            child = field.child
            if isinstance(child, serializers.Serializer):
                found += _unbounded_fields(child, f"{prefix}{name}[].")
        elif isinstance(field, serializers.Serializer):
            found += _unbounded_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.CharField) and field.max_length is None:
            found.append(f"{prefix}{name}")
    return found


def test_every_text_input_has_a_max_length() -> None:
    unbounded = []
    for module_name in INPUT_SERIALIZER_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.Serializer) or cls.__module__ != module_name:
                continue
            if name.endswith("Output") or name.startswith("_"):
                continue
            try:
                instance = cls()
            except TypeError:
                continue
            unbounded += [f"{module_name}.{name}.{f}" for f in _unbounded_fields(instance, "")]
    assert unbounded == []
