"""``{% certificate_panel record portal=True %}``: the attestation and certificate block of a file."""

from __future__ import annotations

from typing import Any

from django import template

from clea.ecosystem.served import panel

register = template.Library()


@register.inclusion_tag("ecosystem/certificate_panel.html", takes_context=True)
def certificate_panel(context: dict[str, Any], record: Any, portal: bool = False) -> dict[str, Any]:
    return panel(record, context.get("request"), portal=portal)
