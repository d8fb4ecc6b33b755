"""Template helpers: accessible form controls and small formatting filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from clea.web.presenting import state_label

register = template.Library()


@register.filter
def control(field: BoundField) -> SafeString:
    """The widget, described by its help text and its error, and marked invalid when it has an error."""
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    attrs: dict[str, Any] = {}
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def as_str(value: Any) -> str:
    return str(value)


@register.filter
def state(value: str) -> str:
    """The translated label of a file state."""

    return state_label(value)
