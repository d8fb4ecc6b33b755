"""The register of processing (registre des traitements, GDPR art. 30), kept as ``register.yaml``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

REGISTER_PATH = Path(__file__).with_name("register.yaml")
REQUIRED_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "controller",
    "purposes",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "sensitive_data",
    "recipients",
    "transfers_outside_eu",
    "retention",
    "security",
)


class RegisterError(ValueError):
    pass


@functools.cache
def load_register() -> dict[str, Any]:
    """The register, checked: every processing has every key, ids are unique."""
    data: dict[str, Any] = yaml.safe_load(REGISTER_PATH.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for item in data.get("processing", []):
        missing = [key for key in REQUIRED_KEYS if key not in item]
        if missing:
            raise RegisterError(f"processing {item.get('id', '?')}: missing {', '.join(missing)}")
        if item["id"] in seen:
            raise RegisterError(f"duplicate processing id {item['id']}")
        seen.add(item["id"])
    return data


def processing_for_candidates() -> list[dict[str, Any]]:
    """The processing that concerns candidates (for their data export)."""
    return [
        {"id": p["id"], "name": p["name"], "legal_basis": p["legal_basis"], "retention": p["retention"]}
        for p in load_register()["processing"]
        if any("candidat" in subject for subject in p["data_subjects"])
    ]


def register_markdown() -> str:
    """The register as the Markdown table of docs/SECURITY.md."""

    def cell(value: Any) -> str:
        text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| id | traitement | responsable | finalités | base légale | personnes | données | destinataires "
        "| conservation |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in load_register()["processing"]:
        lines.append(
            "| "
            + " | ".join(
                cell(p[key])
                for key in (
                    "id",
                    "name",
                    "controller",
                    "purposes",
                    "legal_basis",
                    "data_subjects",
                    "data_categories",
                    "recipients",
                    "retention",
                )
            )
            + " |"
        )
    return "\n".join(lines)
