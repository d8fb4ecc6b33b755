"""What changes from one referential version to another, shown to the federation before it publishes.

Two kinds of change: **structural** ones (a domain, sub-domain or criterion added or removed, a title, a
mastery rule — what changes evaluations and mastery, R4) read from the kernel objects, and **annotations**
(sources, notes, gaps, provenance: what the file documents but the rules do not use) read from the raw
documents, matched by code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from clea.kernel.referential.model import Referential, SubDomain

LEVELS_FR = {"referential": "référentiel", "domain": "domaine", "subdomain": "sous-domaine", "criterion": "critère"}
ACTIONS_FR = {"added": "ajouté", "removed": "retiré", "changed": "modifié"}
STRUCTURAL_KEYS = frozenset({"code", "title", "domains", "subdomains", "criteria", "mastery", "mastery_default"})


@dataclass(frozen=True)
class Change:
    action: str  # added | removed | changed
    level: str  # referential | domain | subdomain | criterion
    code: str
    field: str  # "" when a whole item is added or removed
    old: str
    new: str
    structural: bool

    @property
    def label_fr(self) -> str:
        what = f"{LEVELS_FR[self.level]} {self.code}".strip()
        return f"{what} · {self.field}" if self.field else what

    @property
    def action_fr(self) -> str:
        return ACTIONS_FR[self.action]


@dataclass(frozen=True)
class ReferentialDiff:
    old_identity: str
    new_identity: str
    changes: tuple[Change, ...]

    @property
    def structural(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.structural)

    @property
    def annotations(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if not change.structural)

    @property
    def is_empty(self) -> bool:
        return not self.changes


def _rule_text(sub: SubDomain) -> str:
    share: Fraction = sub.rule.threshold
    text = f"seuil {share.numerator}/{share.denominator}"
    if sub.rule.mandatory:
        text += " ; obligatoires " + ", ".join(sorted(sub.rule.mandatory))
    return text


def _structural(old: Referential, new: Referential) -> Iterator[Change]:
    if old.title != new.title:
        yield Change("changed", "referential", old.code, "title", old.title, new.title, True)
    old_domains, new_domains = old.domains_by_code, new.domains_by_code
    for code, domain in new_domains.items():
        if code not in old_domains:
            yield Change("added", "domain", code, "", "", domain.title, True)
        elif old_domains[code].title != domain.title:
            yield Change("changed", "domain", code, "title", old_domains[code].title, domain.title, True)
    for code, domain in old_domains.items():
        if code not in new_domains:
            yield Change("removed", "domain", code, "", domain.title, "", True)
    old_subs, new_subs = old.subdomains_by_code, new.subdomains_by_code
    for code, sub in new_subs.items():
        before = old_subs.get(code)
        if before is None:
            yield Change("added", "subdomain", code, "", "", sub.title, True)
            continue
        if before.title != sub.title:
            yield Change("changed", "subdomain", code, "title", before.title, sub.title, True)
        if before.rule != sub.rule:
            yield Change("changed", "subdomain", code, "mastery", _rule_text(before), _rule_text(sub), True)
    for code, sub in old_subs.items():
        if code not in new_subs:
            yield Change("removed", "subdomain", code, "", sub.title, "", True)
    old_criteria = {c.code: (s.code, c) for _, s, c in old.iter_criteria()}
    new_criteria = {c.code: (s.code, c) for _, s, c in new.iter_criteria()}
    for code, (sub_code, criterion) in new_criteria.items():
        if code not in old_criteria:
            yield Change("added", "criterion", code, "", "", criterion.title, True)
            continue
        before_sub, old_criterion = old_criteria[code]
        if old_criterion.title != criterion.title:
            yield Change("changed", "criterion", code, "title", old_criterion.title, criterion.title, True)
        if before_sub != sub_code:
            yield Change("changed", "criterion", code, "subdomain", before_sub, sub_code, True)
    for code, (_sub_code, criterion) in old_criteria.items():
        if code not in new_criteria:
            yield Change("removed", "criterion", code, "", criterion.title, "", True)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _nodes(document: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Every node of a document by (level, code); malformed parts are skipped (the loader refused them)."""
    nodes: dict[tuple[str, str], Mapping[str, Any]] = {("referential", ""): document}
    for domain in document.get("domains") or []:
        if not isinstance(domain, Mapping):
            continue
        nodes[("domain", str(domain.get("code", "")))] = domain
        for sub in domain.get("subdomains") or []:
            if not isinstance(sub, Mapping):
                continue
            nodes[("subdomain", str(sub.get("code", "")))] = sub
            for criterion in sub.get("criteria") or []:
                if isinstance(criterion, Mapping):
                    nodes[("criterion", str(criterion.get("code", "")))] = criterion
    return nodes


def _annotations(old_doc: Mapping[str, Any], new_doc: Mapping[str, Any]) -> Iterator[Change]:
    old_nodes, new_nodes = _nodes(old_doc), _nodes(new_doc)
    for key, node in new_nodes.items():
        before = old_nodes.get(key)
        if before is None:
            continue  # an added item is a structural change already
        level, code = key
        for field in sorted((set(node) | set(before)) - STRUCTURAL_KEYS, key=str):
            yield from _value_changes(level, code, str(field), before.get(field), node.get(field), field in before,
                                      field in node)  # fmt: skip


_MISSING = object()


def _value_changes(
    level: str, code: str, field: str, old: Any, new: Any, had: bool = True, has: bool = True
) -> Iterator[Change]:
    """One change per differing leaf: mappings by key (``sources.eva``), lists of equal length by item (``gaps[2]``)."""
    if had and has and isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            yield from _value_changes(level, code, f"{field}.{key}", old.get(key), new.get(key), key in old, key in new)
        return
    if had and has and isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _value_changes(level, code, f"{field}[{index}]", before, after)
        return
    old_text, new_text = _text(old) if had else "", _text(new) if has else ""
    if had and has and old_text == new_text:
        return
    action = "added" if not had else "removed" if not has else "changed"
    yield Change(action, level, code, field, old_text, new_text, False)


def diff_referentials(
    old: Referential, new: Referential, old_doc: Mapping[str, Any], new_doc: Mapping[str, Any]
) -> ReferentialDiff:
    """The changes from ``old`` to ``new``: structural ones first (domains, sub-domains, criteria), then notes."""
    changes = (*_structural(old, new), *_annotations(old_doc, new_doc))
    return ReferentialDiff(old.identity, new.identity, tuple(changes))
