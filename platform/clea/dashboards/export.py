"""The figures as CSV rows (one indicator per line), for the federation's export."""

from __future__ import annotations

import csv
import io
from typing import Any


def csv_rows(figures: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = [["section", "indicateur", "clé", "valeur"]]
    for name, value in figures["filters"].items():
        rows.append(["filtres", name, "", value])
    rows.append(["source", "source", "", figures["source"]])
    rows.append(["dossiers", "dossiers", "", str(figures["files"])])
    rows += [["entonnoir", "dossiers par étape", row["state"], str(row["count"])] for row in figures["funnel"]]
    for name in (
        "initial_evaluations",
        "straight_to_jury",
        "straight_to_jury_rate",
        "files_decided",
        "certification_rate",
        "juries_held",
    ):
        rows.append(["taux", name, "", _text(figures[name])])
    rows += [["jury", "décisions", k, str(v)] for k, v in figures["jury_decisions"].items()]
    ttc = figures["time_to_certificate"]
    rows += [
        ["délai", "certificats", "", str(ttc["count"])],
        ["délai", "médiane (jours)", "", _text(ttc["median_days"])],
    ]
    rows += [
        ["sous-domaines à acquérir", "évaluations préalables", row["code"], str(row["count"])]
        for row in figures["missing_subdomains"]
    ]
    training = figures["training"]
    rows += [
        ["formation", "parcours", "", str(training["count"])],
        ["formation", "médiane (jours)", "", _text(training["median_days"])],
    ]
    rows += [["formation", "répartition", row["label"], str(row["count"])] for row in training["distribution"]]
    rows += [["sorties", "motif", row["reason"], str(row["count"])] for row in figures["withdrawals"]["by_reason"]]
    rows += [["aménagements", "dossiers", row["kind"], str(row["count"])] for row in figures.get("accommodations", [])]
    return rows


def _text(value: object) -> str:
    return "" if value is None else str(value)


def to_csv(figures: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_rows(figures))
    return buffer.getvalue()
