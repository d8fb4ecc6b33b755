"""A referential as rows (one per criterion), for spreadsheets: CSV upload and export.

Columns (French headers, as the federation's staff read them)::

    domaine, titre_domaine, sous_domaine, titre_sous_domaine, seuil, critere, titre_critere, obligatoire

``seuil`` is the sub-domain's share of criteria to acquire (``0.75``, ``3/4`` or ``75 %``; empty: the default),
repeated on each row of the sub-domain (it must agree); ``obligatoire`` is ``oui`` for a mandatory criterion.
Rows become the same document as the YAML format, so both formats go through the one loader. A CSV carries
what the rules use (codes, titles, thresholds, mandatory criteria), not the YAML's sources, notes and
``title_provisional`` flags: publish in YAML to keep those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from clea.kernel.referential.loader import ReferentialError
from clea.kernel.referential.model import Referential

COLUMNS: tuple[str, ...] = (
    "domaine",
    "titre_domaine",
    "sous_domaine",
    "titre_sous_domaine",
    "seuil",
    "critere",
    "titre_critere",
    "obligatoire",
)
REQUIRED: tuple[str, ...] = (
    "domaine",
    "titre_domaine",
    "sous_domaine",
    "titre_sous_domaine",
    "critere",
    "titre_critere",
)
YES = frozenset({"oui", "o", "yes", "y", "x", "1", "true", "vrai"})
NO = frozenset({"", "non", "n", "no", "0", "false", "faux"})


def _threshold_text(raw: str) -> str:
    """``75 %`` → ``3/4``; ``0.75`` and ``3/4`` are kept (the loader reads them)."""
    text = raw.strip().replace(",", ".")
    if text.endswith("%"):
        try:
            return str(Fraction(text[:-1].strip()) / 100)
        except (ValueError, ZeroDivisionError):
            return raw
    return text


def rows_to_document(rows: Iterable[Mapping[str, Any]], code: str, title: str, source: str) -> dict[str, Any]:
    """The YAML-shaped document of ``rows`` (row numbers in errors count the header as line 1)."""
    domains: dict[str, dict[str, Any]] = {}
    subdomains: dict[str, dict[str, Any]] = {}
    thresholds: dict[str, tuple[str, int]] = {}
    count = 0
    for line, row in enumerate(rows, start=2):
        count += 1
        values = {key: str(row.get(key) or "").strip() for key in COLUMNS}
        for key in REQUIRED:
            if not values[key]:
                raise ReferentialError(
                    source, f"line {line}", f"column {key} is empty", f"ligne {line} : la colonne « {key} » est vide"
                )
        domain = domains.get(values["domaine"])
        if domain is None:
            domain = domains[values["domaine"]] = {
                "code": values["domaine"],
                "title": values["titre_domaine"],
                "subdomains": [],
            }
        elif domain["title"] != values["titre_domaine"]:
            raise ReferentialError(
                source,
                f"line {line}",
                f"domain {values['domaine']} has two titles",
                f"ligne {line} : le domaine {values['domaine']} a deux titres différents",
            )
        sub = subdomains.get(values["sous_domaine"])
        if sub is None:
            sub = subdomains[values["sous_domaine"]] = {
                "code": values["sous_domaine"],
                "title": values["titre_sous_domaine"],
                "criteria": [],
            }
            domain["subdomains"].append(sub)
            thresholds[sub["code"]] = (values["seuil"], line)
        elif sub["title"] != values["titre_sous_domaine"] or sub not in domain["subdomains"]:
            raise ReferentialError(
                source,
                f"line {line}",
                f"sub-domain {sub['code']} has two titles or two domains",
                f"ligne {line} : le sous-domaine {sub['code']} a deux titres ou deux domaines différents",
            )
        elif thresholds[sub["code"]][0] != values["seuil"]:
            raise ReferentialError(
                source,
                f"line {line}",
                f"sub-domain {sub['code']} has two thresholds",
                f"ligne {line} : le seuil du sous-domaine {sub['code']} diffère de celui de la ligne "
                f"{thresholds[sub['code']][1]}",
            )
        mandatory = values["obligatoire"].lower()
        if mandatory not in YES | NO:
            raise ReferentialError(
                source,
                f"line {line}",
                f"obligatoire must be oui or empty, got {values['obligatoire']!r}",
                f"ligne {line} : la colonne « obligatoire » vaut « oui » ou reste vide "
                f"(reçu {values['obligatoire']!r})",
            )
        sub["criteria"].append({"code": values["critere"], "title": values["titre_critere"]})
        if mandatory in YES:
            sub.setdefault("mastery", {}).setdefault("mandatory", []).append(values["critere"])
    if count == 0:
        raise ReferentialError(source, "", "no row", "le fichier ne contient aucune ligne de critère")
    for sub_code, (threshold, _line) in thresholds.items():
        if threshold:
            subdomains[sub_code].setdefault("mastery", {})["threshold"] = _threshold_text(threshold)
    return {"code": code, "title": title, "domains": list(domains.values())}


def _threshold_cell(value: Fraction, default: Fraction) -> str:
    return "" if value == default else f"{value.numerator}/{value.denominator}"


def referential_rows(referential: Referential, default: Fraction = Fraction(3, 4)) -> list[tuple[str, ...]]:
    """One row per criterion, in :data:`COLUMNS` order (what the CSV export writes)."""
    rows: list[tuple[str, ...]] = []
    for domain, sub, criterion in referential.iter_criteria():
        rows.append(
            (
                domain.code,
                domain.title,
                sub.code,
                sub.title,
                _threshold_cell(sub.rule.threshold, default),
                criterion.code,
                criterion.title,
                "oui" if criterion.code in sub.rule.mandatory else "",
            )
        )
    return rows
