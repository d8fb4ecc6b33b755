"""Load and validate referential versions from YAML.

A malformed file gives one :class:`ReferentialError` naming the file, the place inside it
(``domains[3].subdomains[1].criteria[0].code``) and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from clea.kernel.referential.model import (
    DEFAULT_THRESHOLD,
    Criterion,
    Domain,
    MasteryRule,
    Referential,
    SubDomain,
)

DEFAULT_REFERENTIAL = "clea-socle.yaml"
SHIPPED_REFERENTIALS = ("clea-socle.yaml", "clea-numerique.yaml")


class ReferentialError(ValueError):
    """What is wrong with a referential, where; ``problem_fr`` is the French wording shown to federation staff."""

    def __init__(self, source: str, place: str, problem: str, problem_fr: str = "") -> None:
        super().__init__(f"{source}: {place}: {problem}" if place else f"{source}: {problem}")
        self.source = source
        self.place = place
        self.problem = problem
        self.problem_fr = problem_fr or problem

    @property
    def message_fr(self) -> str:
        """One French line: the place (when known) and the problem."""
        return f"{self.place} : {self.problem_fr}" if self.place else self.problem_fr


_KIND_FR = {"domain": "domaine", "sub-domain": "sous-domaine", "criterion": "critère"}


def _share_fr(value: object) -> str:
    return f"un seuil entre 0 (exclu) et 1 est attendu, reçu {value!r}"


class _Reader:
    """Walks the parsed YAML, keeping track of where it is for error messages."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen_codes: dict[str, str] = {}

    def fail(self, place: str, problem: str, problem_fr: str = "") -> ReferentialError:
        return ReferentialError(self.source, place, problem, problem_fr)

    def mapping(self, value: object, place: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(
                place, f"expected a mapping, got {type(value).__name__}", "une structure « clé : valeur » est attendue"
            )
        return value

    def text(self, node: Mapping[str, Any], key: str, place: str) -> str:
        where = f"{place}.{key}" if place else key
        if key not in node:
            raise self.fail(where, "missing", "manquant")
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(where, f"expected text, got {type(value).__name__}", "un texte est attendu")
        text = str(value).strip()
        if not text:
            raise self.fail(where, "empty", "vide")
        return text

    def items(self, node: Mapping[str, Any], key: str, place: str) -> list[Any]:
        where = f"{place}.{key}" if place else key
        value = node.get(key)
        if value is None:
            raise self.fail(where, "missing", "manquant")
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {type(value).__name__}", "une liste est attendue")
        return value

    def flag(self, node: Mapping[str, Any], key: str, place: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(
                f"{place}.{key}", f"expected true or false, got {value!r}", f"vrai ou faux attendu, reçu {value!r}"
            )
        return value

    def code(self, node: Mapping[str, Any], place: str, kind: str) -> str:
        code = self.text(node, "code", place)
        key = f"{kind}:{code}"
        if key in self.seen_codes:
            raise self.fail(
                f"{place}.code",
                f"duplicate {kind} code {code!r} (already at {self.seen_codes[key]})",
                f"le code {code!r} ({_KIND_FR.get(kind, kind)}) est en double (déjà en {self.seen_codes[key]})",
            )
        self.seen_codes[key] = f"{place}.code"
        return code

    def threshold(self, value: object, place: str) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(place, f"expected a share between 0 and 1, got {value!r}", _share_fr(value))
        try:
            share = Fraction(str(value))
        except (ValueError, ZeroDivisionError):  # "abc", "nan"; "1/0"
            raise self.fail(place, f"expected a share between 0 and 1, got {value!r}", _share_fr(value)) from None
        if not 0 < share <= 1:
            raise self.fail(place, f"expected a share between 0 and 1, got {value!r}", _share_fr(value))
        return share


def _mastery_rule(
    reader: _Reader, node: Mapping[str, Any], place: str, default: Fraction, criteria: tuple[str, ...]
) -> MasteryRule:
    raw = node.get("mastery")
    if raw is None:
        return MasteryRule(threshold=default)
    rule = reader.mapping(raw, f"{place}.mastery")
    threshold = reader.threshold(rule["threshold"], f"{place}.mastery.threshold") if "threshold" in rule else default
    mandatory_raw = rule.get("mandatory", [])
    if not isinstance(mandatory_raw, list):
        raise reader.fail(
            f"{place}.mastery.mandatory",
            "expected a list of criterion codes",
            "une liste de codes de critères est attendue",
        )
    mandatory = frozenset(str(code) for code in mandatory_raw)
    for index, code in enumerate(mandatory_raw):
        if str(code) not in criteria:
            raise reader.fail(
                f"{place}.mastery.mandatory[{index}]",
                f"criterion {code!r} is not in this sub-domain",
                f"le critère obligatoire {code!r} n'appartient pas à ce sous-domaine",
            )
    return MasteryRule(threshold=threshold, mandatory=mandatory)


def _criterion(reader: _Reader, raw: object, place: str) -> Criterion:
    node = reader.mapping(raw, place)
    return Criterion(
        code=reader.code(node, place, "criterion"),
        title=reader.text(node, "title", place),
        title_provisional=reader.flag(node, "title_provisional", place),
    )


def _subdomain(reader: _Reader, raw: object, place: str, default: Fraction) -> SubDomain:
    node = reader.mapping(raw, place)
    code = reader.code(node, place, "sub-domain")
    title = reader.text(node, "title", place)
    criteria = tuple(
        _criterion(reader, item, f"{place}.criteria[{index}]")
        for index, item in enumerate(reader.items(node, "criteria", place))
    )
    codes = tuple(criterion.code for criterion in criteria)
    return SubDomain(
        code=code,
        title=title,
        criteria=criteria,
        rule=_mastery_rule(reader, node, place, default, codes),
        title_provisional=reader.flag(node, "title_provisional", place),
    )


def _domain(reader: _Reader, raw: object, place: str, default: Fraction) -> Domain:
    node = reader.mapping(raw, place)
    code = reader.code(node, place, "domain")
    title = reader.text(node, "title", place)
    subdomains = tuple(
        _subdomain(reader, item, f"{place}.subdomains[{index}]", default)
        for index, item in enumerate(reader.items(node, "subdomains", place))
    )
    return Domain(code, title, subdomains, title_provisional=reader.flag(node, "title_provisional", place))


def content_hash(document: object) -> str:
    """SHA-256 of the canonical JSON form: formatting and key order do not change a version's identity."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_referential(text: str, source: str = "<referential>") -> Referential:
    """Build a :class:`Referential` from YAML text; ``source`` names the file in error messages."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", error)
        raise ReferentialError(source, place, f"not valid YAML ({problem})", f"YAML invalide ({problem})") from None
    reader = _Reader(source)
    root = reader.mapping(document, "(root)")
    code = reader.text(root, "code", "")
    title = reader.text(root, "title", "")
    default = DEFAULT_THRESHOLD
    if "mastery_default" in root:
        default_node = reader.mapping(root["mastery_default"], "mastery_default")
        if "threshold" in default_node:
            default = reader.threshold(default_node["threshold"], "mastery_default.threshold")
    domains = tuple(
        _domain(reader, item, f"domains[{index}]", default)
        for index, item in enumerate(reader.items(root, "domains", ""))
    )
    if not domains:
        raise reader.fail("domains", "a referential needs at least one domain", "un référentiel a au moins un domaine")
    gaps = root.get("gaps") or []
    try:
        digest = content_hash(document)
    except (TypeError, ValueError) as error:  # e.g. a mapping mixing int and text keys cannot be sorted
        raise reader.fail(
            "", f"cannot compute the content hash ({error})", f"empreinte du contenu impossible à calculer ({error})"
        ) from None
    return Referential(
        code=code,
        title=title,
        content_hash=digest,
        domains=domains,
        source_name=source,
        gaps=tuple(str(gap) for gap in gaps) if isinstance(gaps, list) else (),
    )


def load_referential(path: Path | str) -> Referential:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ReferentialError(path.name, "", f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise ReferentialError(path.name, "", f"cannot be read (not UTF-8 text: {error.reason})") from None
    return parse_referential(text, source=path.name)


@cache
def load_shipped(name: str = DEFAULT_REFERENTIAL) -> Referential:
    """A referential shipped inside the package (``clea-socle.yaml`` is the default CléA version)."""
    if name not in SHIPPED_REFERENTIALS:
        raise ReferentialError(name, "", f"not a shipped referential (known: {', '.join(SHIPPED_REFERENTIALS)})")
    text = resources.files("clea.kernel.referential").joinpath("data", name).read_text(encoding="utf-8")
    return parse_referential(text, source=name)


def default_referential() -> Referential:
    return load_shipped(DEFAULT_REFERENTIAL)


def shipped_referentials() -> dict[str, Referential]:
    """Every shipped version by identity (what a referential registry would seed from)."""
    return {ref.identity: ref for ref in (load_shipped(name) for name in SHIPPED_REFERENTIALS)}
