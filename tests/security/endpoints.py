"""Every endpoint (path template, HTTP method) of a URL conf, found by walking its patterns.

New endpoints are picked up automatically: the tests that use this fail until they say what to expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_METHODS = frozenset({"options", "head", "trace"})


@dataclass(frozen=True)
class Endpoint:
    method: str  # upper case
    template: str  # "/api/files/{pk}/mastery/"
    name: str

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.template)

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def _methods(callback: Any) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route
        return sorted(m.upper() for m in actions if m not in SKIPPED_METHODS)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:
        return sorted(m.upper() for m in cls.http_method_names if m not in SKIPPED_METHODS and hasattr(cls, m))
    return ["GET", "POST"]  # plain function views: both are tried


def _template(text: str) -> str:
    text = text.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    text = re.sub(r"\(\?P<(\w+)>[^)]+\)", r"{\1}", text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    return text


def endpoints(urlconf: str, prefix: str = "/") -> list[Endpoint]:
    found: dict[tuple[str, str], Endpoint] = {}

    def walk(patterns: list[URLPattern | URLResolver], base: str) -> None:
        for pattern in patterns:
            text = base + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
                continue
            template = _template(text)
            if "{format}" in template:  # DRF format suffixes: the same views
                continue
            for method in _methods(pattern.callback):
                found[(method, template)] = Endpoint(method, template, pattern.name or "")

    walk(get_resolver(urlconf).url_patterns, "/")
    return sorted((e for e in found.values() if e.template.startswith(prefix)), key=lambda e: (e.template, e.method))
