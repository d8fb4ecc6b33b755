"""One input layer for the whole API: what no endpoint has to check again (issue 17, §2 and §4).

* **Parsers** (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``): JSON nested deeper than
  :data:`MAX_JSON_DEPTH`, ``NaN``/``Infinity`` constants, NUL characters in any key or string (PostgreSQL
  text cannot hold them) are refused with a 400 naming the field; form and multipart bodies likewise, and a
  malformed multipart body is a 400, not a 500.
* **Date and date-time fields** (DRF serializer fields and the Django form fields django-filter uses for
  query parameters such as ``at__lte``): a year outside :data:`MIN_YEAR`-:data:`MAX_YEAR` or a UTC offset
  beyond ±14:00 (the widest in use on Earth; PostgreSQL refuses ±16) is a field error.
* **Unknown body fields**: a serializer refuses a key it does not declare as writable, naming it
  (``"zzz": ["Champ inconnu."]``) — a client's typo or a value it believes stored is never silently
  dropped. One rule for the whole API; the schema says the same (``additionalProperties: false``).

:func:`install` applies the field rules once, at start-up (``clea.api.apps``), so every serializer and
filter of every app inherits them, including endpoints added later.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django import forms
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, fields, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_JSON_DEPTH = 32  # the deepest body the API accepts is ~4 levels; 32 leaves room, and keeps parsing flat
MIN_YEAR, MAX_YEAR = 1000, 9999  # four-digit years (RFC 3339); domain rules narrow further (birth dates...)
MAX_OFFSET = dt.timedelta(hours=14)
NUL_MESSAGE = _("Le caractère nul (U+0000) n'est pas accepté.")
UNKNOWN_FIELD_MESSAGE = _("Champ inconnu.")


def _refuse(path: str, message: Any) -> exceptions.ValidationError:
    return exceptions.ValidationError({path or "non_field_errors": [message]})


def check_value(value: Any, path: str = "", depth: int = 0) -> None:
    """Walk a parsed body (at most ``MAX_JSON_DEPTH`` levels): NUL characters in keys and strings."""
    if depth > MAX_JSON_DEPTH:
        raise _refuse(path, _("Structure trop imbriquée (%(n)d niveaux au plus).") % {"n": MAX_JSON_DEPTH})
    if isinstance(value, str):
        if "\x00" in value:
            raise _refuse(path, NUL_MESSAGE)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                raise _refuse(name.replace("\x00", "\\0"), NUL_MESSAGE)
            check_value(item, name, depth + 1)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_value(item, f"{path}.{index}" if path else str(index), depth + 1)


def _no_constant(name: str) -> Any:
    raise exceptions.ParseError(_("Valeur JSON non standard refusée : %(name)s.") % {"name": name})


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(_("Le corps de la requête n'est pas en UTF-8.")) from exc
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except RecursionError as exc:  # thousands of nested brackets: refused, not a 500
            raise _refuse("", _("Structure trop imbriquée (%(n)d niveaux au plus).") % {"n": MAX_JSON_DEPTH}) from exc
        except ValueError as exc:
            raise exceptions.ParseError(_("JSON invalide : %(error)s") % {"error": exc}) from exc
        check_value(data)
        return data


def _check_querydict(data: QueryDict) -> None:
    for key, values in data.lists():
        for value in values:
            check_value({key: value})


class SafeFormParser(FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _check_querydict(data)
        return data


class SafeMultiPartParser(MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except (MultiPartParserError, ValueError) as exc:
            raise exceptions.ParseError(_("Corps multipart invalide : %(error)s") % {"error": exc}) from exc
        _check_querydict(parsed.data)
        for key in parsed.files:
            check_value({key: ""})
        return parsed


# --- date and date-time ranges ---------------------------------------------------------------------------


def temporal_problem(value: Any) -> str | None:
    """Why a parsed date/date-time is refused, or ``None``."""
    if not isinstance(value, dt.date):
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return str(_("Année hors limites (%(min)d à %(max)d).") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        offset = value.utcoffset()
        if offset is not None and (abs(offset) > MAX_OFFSET or offset.seconds % 60):
            return str(_("Décalage horaire hors limites (±14:00 au plus, en minutes entières)."))
    return None


def _wrap_drf_datetime(original: Callable[..., Any]) -> Callable[..., Any]:
    def enforce_timezone(self: fields.DateTimeField, value: Any) -> Any:
        problem = temporal_problem(value)
        if problem:
            raise exceptions.ValidationError(problem, code="out_of_range")
        return original(self, value)

    enforce_timezone.__wrapped__ = original  # type: ignore[attr-defined]
    return enforce_timezone


def _wrap_drf_date(original: Callable[..., Any]) -> Callable[..., Any]:
    def to_internal_value(self: fields.DateField, value: Any) -> Any:
        result = original(self, value)
        problem = temporal_problem(result)
        if problem:
            raise exceptions.ValidationError(problem, code="out_of_range")
        return result

    to_internal_value.__wrapped__ = original  # type: ignore[attr-defined]
    return to_internal_value


def _wrap_form(original: Callable[..., Any]) -> Callable[..., Any]:
    def to_python(self: forms.Field, value: Any) -> Any:
        result = original(self, value)
        problem = temporal_problem(result)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        return result

    to_python.__wrapped__ = original  # type: ignore[attr-defined]
    return to_python


# --- unknown body fields -----------------------------------------------------------------------------------


def unknown_keys(serializer: serializers.Serializer[Any], data: Any) -> list[str]:
    """Keys of ``data`` the serializer does not accept as input (undeclared or read-only). A ``version`` the
    serializer shows may always be sent back: it is the concurrency token (``clea.api.versioning``)."""
    if not isinstance(data, Mapping):
        return []
    writable = {name for name, field in serializer.fields.items() if not field.read_only or name == "version"}
    return sorted(str(key) for key in data if key not in writable)


# The method of the request being answered (set by clea.api.middleware): serializers that read the query string
# of a GET (filters, periods) are not bodies — an unknown query parameter is ignored, as HTTP caches expect.
current_method: ContextVar[str | None] = ContextVar("clea_api_current_method", default=None)
QUERY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def _wrap_serializer(original: Callable[..., Any]) -> Callable[..., Any]:
    def to_internal_value(self: serializers.Serializer[Any], data: Any) -> Any:
        if getattr(getattr(self, "Meta", None), "allow_unknown_fields", False) or current_method.get() in QUERY_METHODS:
            return original(self, data)
        unknown = unknown_keys(self, data)
        if unknown:
            raise exceptions.ValidationError({key: [UNKNOWN_FIELD_MESSAGE] for key in unknown}, code="unknown_field")
        return original(self, data)

    to_internal_value.__wrapped__ = original  # type: ignore[attr-defined]
    return to_internal_value


def install() -> None:
    """Apply the field rules to DRF's and Django's field classes (idempotent)."""
    targets: list[tuple[type[Any], str, Callable[[Callable[..., Any]], Callable[..., Any]]]] = [
        (fields.DateTimeField, "enforce_timezone", _wrap_drf_datetime),
        (fields.DateField, "to_internal_value", _wrap_drf_date),
        (forms.DateTimeField, "to_python", _wrap_form),
        (forms.DateField, "to_python", _wrap_form),
        (serializers.Serializer, "to_internal_value", _wrap_serializer),
    ]
    for cls, name, wrapper in targets:
        current = cls.__dict__[name]
        if not hasattr(current, "__wrapped__"):
            setattr(cls, name, wrapper(current))
