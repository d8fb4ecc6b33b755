"""French communes by INSEE code, from the official geographic code as shipped by the npm package
``@etalab/decoupage-administratif`` (MIT licence), vendored compressed in ``data/communes.json.gz``
(version and licence inside, see ``data/SOURCE.md``; refresh: ``manage.py refresh_communes``).

Rows: current communes (``C``), delegated (``D``) and associated (``A``) communes, Paris/Lyon/Marseille
municipal arrondissements (``M``); a former code (``anciensCodes``) still finds the commune it merged into, so a
birth place given with the code of its time is accepted.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from clea.kernel.identity import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes.json.gz"
COLUMNS = ["code", "nom", "type", "departement", "codesPostaux", "anciensCodes", "chefLieu"]
TYPES = {"commune-actuelle": "C", "commune-deleguee": "D", "commune-associee": "A", "arrondissement-municipal": "M"}


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    kind: str  # C, D, A, M
    department: str
    postcodes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "insee_code": self.code,
            "name": self.name,
            "kind": self.kind,
            "department": self.department,
            "postcodes": list(self.postcodes),
        }


@dataclass(frozen=True)
class Geography:
    version: str
    by_code: dict[str, list[Commune]]
    former_codes: dict[str, str]
    by_postcode: dict[str, list[Commune]]
    by_name: dict[str, list[Commune]]


def convert(communes: list[dict[str, Any]], version: str) -> dict[str, Any]:
    """The package's ``data/communes.json`` → the compact vendored form (only what identity checks need)."""
    rows = [
        [
            c["code"],
            c["nom"],
            TYPES[c["type"]],
            c.get("departement", ""),
            c.get("codesPostaux", []),
            c.get("anciensCodes", []),
            c.get("chefLieu", ""),
        ]
        for c in communes
        if c.get("type") in TYPES
    ]
    return {
        "package": "@etalab/decoupage-administratif",
        "version": version,
        "licence": "MIT",
        "columns": COLUMNS,
        "rows": rows,
    }


def write(data: dict[str, Any], path: Path = DATA_FILE) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(raw, 9, mtime=0))
    return len(data["rows"])


@cache
def load(path: Path = DATA_FILE) -> Geography:
    data = json.loads(gzip.decompress(path.read_bytes()))
    by_code: dict[str, list[Commune]] = {}
    former: dict[str, str] = {}
    by_postcode: dict[str, list[Commune]] = {}
    by_name: dict[str, list[Commune]] = {}
    for code, name, kind, department, postcodes, former_codes, chief_town in data["rows"]:
        commune = Commune(code, name, kind, department, tuple(postcodes or ()))
        by_code.setdefault(code, []).append(commune)
        for old in former_codes or ():
            former.setdefault(old, code)
        postcodes_of = commune.postcodes or (
            by_code[chief_town][0].postcodes if chief_town in by_code else ()
        )  # a delegated commune has the postcodes of its commune nouvelle
        for postcode in set(postcodes_of):
            by_postcode.setdefault(postcode, []).append(commune)
        by_name.setdefault(fold(name), []).append(commune)
    for rows in by_code.values():
        rows.sort(key=lambda c: "CMDA".index(c.kind))
    return Geography(data["version"], by_code, former, by_postcode, by_name)


def version() -> str:
    return load().version


def commune(code: str) -> Commune | None:
    """The commune of an INSEE code (current first; a former code gives the commune it merged into)."""
    geo = load()
    code = code.strip().upper()
    rows = geo.by_code.get(code) or geo.by_code.get(geo.former_codes.get(code, ""), [])
    return rows[0] if rows else None


@dataclass(frozen=True)
class Resolution:
    """``resolved`` when one commune matches; ``choices`` to ask the person when several do."""

    choices: tuple[Commune, ...]

    @property
    def resolved(self) -> Commune | None:
        return self.choices[0] if len(self.choices) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.choices) > 1


def resolve(*, postcode: str = "", name: str = "") -> Resolution:
    """A postcode and/or a commune name → the matching communes (INSEE codes). A postcode with a name picks
    the communes of that postcode bearing that name; each INSEE code counts once. A commune nouvelle and its
    delegated commune of the same name (e.g. Bernwiller 68006 and 68031) are two answers: ask."""
    geo = load()
    postcode, key = postcode.strip(), fold(name) if name else ""
    if postcode and (len(postcode) != 5 or not postcode.isdigit()):
        return Resolution(())
    if postcode:
        found = geo.by_postcode.get(postcode, [])
        if key:
            found = [c for c in found if fold(c.name) == key] or [c for c in found if key in fold(c.name)]
    elif key:
        found = geo.by_name.get(key, [])
    else:
        found = []
    unique: dict[tuple[str, str], Commune] = {}
    for c in sorted(found, key=lambda c: "CMDA".index(c.kind)):
        unique.setdefault((c.code, fold(c.name)), c)
    by_name: dict[str, list[Commune]] = {}
    for c in unique.values():
        by_name.setdefault(c.code, []).append(c)
    return Resolution(tuple(rows[0] for rows in by_name.values()))


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (pycountry)."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "name", code)) if found else code
