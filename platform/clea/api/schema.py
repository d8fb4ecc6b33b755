"""The OpenAPI schemas tell the truth about errors and inputs, for every operation (issue 17, §1).

A drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) runs over the whole
generated document, so every endpoint — including the ones other apps add later — gets, without declaring
anything:

* the error statuses the platform's layers can answer on any operation (:data:`COMMON_ERRORS`: the input
  layer's 400, authentication's 401, permissions' 403, unknown route or id 404, 405, the size limits' 413,
  415, throttles' 429, a branch plugin's 502, and 409/423 for state conflicts), each with the
  :data:`ERROR_BODY` schema ``{code, rule, detail, fields}`` (``clea.error_body``); a status an endpoint
  already documents keeps its description and gets the body if it had none;
* ``additionalProperties: false`` on every request body schema: the API refuses unknown fields
  (``clea.api.inputs``), and the schema says so;
* the date and date-time range of the input layer, as a ``pattern`` on every such request field and
  parameter (four-digit years from 1000, offsets up to ±14:00).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

ERROR_COMPONENT = "Error"
ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "description": "Corps d'erreur commun à toute l'API (clea.error_body).",
    "properties": {
        "code": {"type": "string", "description": "validation_error, not_found, permission_denied, R… domain codes"},
        "rule": {"type": "string", "nullable": True, "description": "Règle métier (R1–R13) en cause, sinon null"},
        "detail": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "codes": {
            "type": "object",
            "description": "validation_error : le code de chaque message de `fields` (does_not_exist, max_length…)",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "rule", "detail", "fields"],
}
COMMON_ERRORS: dict[str, str] = {
    "400": "Requête invalide : `fields` nomme chaque champ refusé (validation_error, parse_error).",
    "401": "Authentification absente ou invalide (not_authenticated, authentication_failed).",
    "403": "Rôle insuffisant, CSRF, second facteur (permission_denied, csrf_failed…).",
    "404": "Route, identifiant ou objet introuvable dans cet espace (not_found).",
    "405": "Méthode non autorisée (method_not_allowed) ; l'en-tête Allow liste les méthodes.",
    "406": "Format de réponse demandé indisponible (not_acceptable).",
    "409": "Conflit avec l'état de la ressource (code métier se terminant par conflict).",
    "413": "Corps trop volumineux (request_too_large).",
    "415": "Type de contenu non pris en charge (unsupported_media_type).",
    "423": "Ressource verrouillée (locked).",
    "429": "Trop de requêtes (throttled, too_many_attempts) ; voir Retry-After.",
    "502": "Un module de branche a échoué (plugin_error) ; rien n'a été écrit.",
}
DATE_PATTERN = r"^[1-9]\d{3}-\d{2}-\d{2}$"
DATE_TIME_PATTERN = (
    r"^[1-9]\d{3}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?$"
)
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")


def _ref() -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}


def _add_errors(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, description in COMMON_ERRORS.items():
        entry = responses.setdefault(status, {"description": description})
        entry.setdefault("description", description)
        if not entry.get("content"):
            entry["content"] = {"application/json": {"schema": _ref()}}


def _constrain_temporal(schema: dict[str, Any]) -> None:
    """Add the input layer's ranges to ``date``/``date-time`` strings, recursively (request schemas only)."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and "pattern" not in schema:
        if schema.get("format") == "date-time":
            schema["pattern"] = DATE_TIME_PATTERN
        elif schema.get("format") == "date":
            schema["pattern"] = DATE_PATTERN
    for key in ("properties",):
        for sub in schema.get(key, {}).values():
            _constrain_temporal(sub)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _constrain_temporal(schema[key])
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            _constrain_temporal(sub)


def _allow_empty(schema: dict[str, Any]) -> None:
    """An optional query parameter sent empty (``?period_start=``) means absent, as in every Django filter."""
    if schema.get("type") != "string":
        return
    if "enum" in schema and "" not in schema["enum"]:
        schema["enum"] = [*schema["enum"], ""]
    if "pattern" in schema:
        schema["pattern"] = f"^$|{schema['pattern']}"
    schema.pop("minLength", None)
    if "format" in schema:  # "" has no date/e-mail format: say "this format, or empty"
        original = dict(schema)
        schema.clear()
        schema["anyOf"] = [original, {"type": "string", "maxLength": 0}]


def _request_components(result: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for item in result.get("paths", {}).values():
        for method in METHODS:
            body = item.get(method, {}).get("requestBody", {})
            for media in body.get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref.startswith("#/components/schemas/"):
                    names.add(ref.rsplit("/", 1)[1])
                elif media.get("schema"):
                    _close_object(media["schema"])
    return names


def _close_object(schema: dict[str, Any]) -> None:
    if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    _constrain_temporal(schema)


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook (signature fixed by drf-spectacular)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_BODY)
    for item in result.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            _add_errors(operation)
            for parameter in operation.get("parameters", []):
                _constrain_temporal(parameter.get("schema", {}))
                if parameter.get("in") == "query" and not parameter.get("required"):
                    _allow_empty(parameter.get("schema", {}))
    requested = _request_components(result) | {name for name in schemas if name.endswith("Request")}
    for name in requested:
        if name in schemas:
            _close_object(schemas[name])
    return result


class CleaAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus what it does not map: a list field refusing emptiness has ``minItems``."""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]
        if getattr(field, "allow_empty", True) is False and schema.get("type") == "array":
            schema.setdefault("minItems", 1)
        return schema
