"""Bar charts for the dashboard pages: geometry of accessible SVG bars (same style as the mastery chart)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

BAR_WIDTH, LINE_HEIGHT, BAR_HEIGHT, ROW_GAP, LABEL_CHARS = 340, 24, 26, 18, 40


@dataclass
class Bar:
    label: str
    value: int
    value_text: str
    width: float = 0.0
    y: int = 0
    bar_y: int = 0
    lines: list[str] = field(default_factory=list)


@dataclass
class Chart:
    chart_id: str
    title: str
    caption: str
    headers: tuple[str, str]
    bars: list[Bar]
    height: int = 0

    @property
    def description(self) -> str:
        return " ".join(f"{bar.label} : {bar.value_text}." for bar in self.bars)


def bar_chart(
    chart_id: str, title: str, caption: str, headers: tuple[str, str], rows: Sequence[tuple[str, int, str]]
) -> Chart:
    """``rows`` are (label, value, value as shown); widths are relative to the largest value."""
    top = max((value for _, value, _ in rows), default=0)
    bars: list[Bar] = []
    y = 4
    for label, value, text in rows:
        bar = Bar(label, value, text)
        bar.lines = textwrap.wrap(label, LABEL_CHARS) or [label]
        bar.y = y
        bar.bar_y = len(bar.lines) * LINE_HEIGHT + 6
        bar.width = round(BAR_WIDTH * value / top, 1) if top else 0.0
        y += bar.bar_y + BAR_HEIGHT + ROW_GAP
        bars.append(bar)
    return Chart(chart_id, title, caption, headers, bars, y)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def dashboard_charts(figures: dict[str, Any], prefix: str = "n") -> dict[str, Chart]:
    files = figures["files"]
    funnel = bar_chart(
        f"{prefix}-funnel",
        "Candidats par étape du parcours",
        "Étape actuelle de chaque dossier entré dans le dispositif pendant la période.",
        ("Étape", "Dossiers"),
        [
            (row["label"], row["count"], f"{row['count']} ({percent(row['count'] / files if files else None)})")
            for row in figures["funnel"]
        ],
    )
    missing = bar_chart(
        f"{prefix}-missing",
        "Sous-domaines le plus souvent à acquérir après l'évaluation préalable",
        "Part des évaluations préalables de la période où le sous-domaine n'était pas encore acquis.",
        ("Sous-domaine", "Évaluations préalables"),
        [
            (f"Sous-domaine {row['code']}", row["count"], f"{row['count']} ({percent(row['share'])})")
            for row in figures["missing_subdomains"]
        ],
    )
    training = figures["training"]
    durations = bar_chart(
        f"{prefix}-training",
        "Durée des parcours de formation",
        "Du parcours proposé à l'évaluation finale, pour les évaluations finales de la période.",
        ("Durée", "Parcours"),
        [(row["label"], row["count"], str(row["count"])) for row in training["distribution"]],
    )
    withdrawals = bar_chart(
        f"{prefix}-withdrawals",
        "Sorties du dispositif par motif",
        "Sorties de la période, par motif déclaré (codes de la liste, jamais de texte libre).",
        ("Motif", "Sorties"),
        [(row["label"], row["count"], str(row["count"])) for row in figures["withdrawals"]["by_reason"]],
    )
    return {"funnel": funnel, "missing": missing, "training": durations, "withdrawals": withdrawals}
