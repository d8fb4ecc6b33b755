#!/usr/bin/env python3
"""Regenerate helm/clea/values.schema.json from values.yaml (types, defaults) plus the rules below.

    python scripts/chart-schema.py          # rewrites the schema; tests/helm/test_chart.py checks it is current

Every object is closed (``additionalProperties: false``): a typo such as ``media.existingclaim`` fails the
render instead of silently falling back to a default. Maps meant to be free (annotations, labels, extraEnv,
resources, security contexts, selectors…) are listed in FREE. The production profile adds requirements.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

CHART = Path(__file__).resolve().parents[1] / "helm" / "clea"

FREE_OBJECTS = {
    "extraEnv",
    "podAnnotations",
    "podLabels",
    "nodeSelector",
    "affinity",
    "podSecurityContext",
    "securityContext",
    "serviceAccount.annotations",
    "service.annotations",
    "ingress.annotations",
    "metrics.serviceMonitor.labels",
    "web.resources",
    "worker.resources",
    "beat.resources",
    "migrations.resources",
    "networkPolicy.ingressController.namespaceSelector",
    "networkPolicy.ingressController.podSelector",
    "networkPolicy.monitoring.namespaceSelector",
}
NULLABLE = {
    "django.sslRedirect": ["boolean", "null"],
    "web.autoscaling.targetMemoryUtilizationPercentage": ["integer", "null"],
    "worker.autoscaling.targetMemoryUtilizationPercentage": ["integer", "null"],
    "web.pdb.minAvailable": ["integer", "string", "null"],
    "worker.pdb.minAvailable": ["integer", "string", "null"],
    "web.pdb.maxUnavailable": ["integer", "string", "null"],
    "worker.pdb.maxUnavailable": ["integer", "string", "null"],
}
EXTRA: dict[str, dict[str, Any]] = {
    "profile": {"enum": ["trial", "production"]},
    "image.digest": {"pattern": "^(sha256:[0-9a-f]{64})?$"},
    "image.pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]},
    "externalDatabase.sslmode": {"enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]},
    "service.type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
    "storage.backend": {"enum": ["local", "s3"]},
    "storage.s3.serverSideEncryption": {"enum": ["", "AES256", "aws:kms"]},
    "extraEnvFromSecret": {
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "key"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "key": {"type": "string", "minLength": 1},
                "optional": {"type": "boolean"},
            },
        }
    },
    "email.port": {"minimum": 1, "maximum": 65535},
}
PRODUCTION = {
    "if": {"properties": {"profile": {"const": "production"}}, "required": ["profile"]},
    "then": {
        "properties": {
            # SECRET_KEY & co. from a Secret made beforehand: never generated, never in values.
            "existingSecret": {"minLength": 1},
            "secret": {"properties": {"secretKey": {"maxLength": 0}}},
            "signingKey": {
                "properties": {"existingSecret": {"minLength": 1}, "pem": {"maxLength": 0}},
                "required": ["existingSecret"],
            },
            "image": {"properties": {"digest": {"minLength": 1}}, "required": ["digest"]},
        },
        "required": ["existingSecret", "signingKey", "image"],
        # Files in object storage, or on a volume every web and worker pod shares; never on an emptyDir.
        "anyOf": [
            {
                "properties": {
                    "storage": {
                        "properties": {
                            "backend": {"const": "s3"},
                            "s3": {"properties": {"bucket": {"minLength": 1}}},
                        }
                    }
                }
            },
            {
                "properties": {
                    "media": {"properties": {"existingClaim": {"minLength": 1}}, "required": ["existingClaim"]}
                }
            },
        ],
    },
}


def describe(path: str, value: Any) -> dict[str, Any]:
    schema: dict[str, Any]
    if path in NULLABLE:
        schema = {"type": NULLABLE[path]}
    elif isinstance(value, bool):
        schema = {"type": "boolean"}
    elif isinstance(value, int):
        schema = {"type": "integer"}
    elif isinstance(value, float):
        schema = {"type": "number"}
    elif isinstance(value, str):
        schema = {"type": "string"}
    elif isinstance(value, list):
        items: dict[str, Any] = {}
        if value and all(isinstance(v, str) for v in value):
            items = {"type": "string"}
        schema = {"type": "array", "items": items} if items else {"type": "array"}
    elif isinstance(value, dict):
        if path in FREE_OBJECTS:
            schema = {"type": "object"}
        else:
            schema = {
                "type": "object",
                "additionalProperties": False,
                "properties": {k: describe(f"{path}.{k}" if path else k, v) for k, v in value.items()},
            }
    else:  # null defaults not listed as nullable
        schema = {}
    schema.update(EXTRA.get(path, {}))
    if path.endswith(("extraArgs", "secretKeyFallbacks", "command", "args")):
        schema["items"] = {"type": "string"}
    if not isinstance(value, dict) or path in FREE_OBJECTS:
        schema["default"] = value
    return schema


def build() -> dict[str, Any]:
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    root = describe("", values)
    root.pop("default", None)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "CléA chart values",
        "description": "Generated by scripts/chart-schema.py from values.yaml; do not edit by hand.",
        **root,
        "allOf": [PRODUCTION],
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    (CHART / "values.schema.json").write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {CHART / 'values.schema.json'}\n")
