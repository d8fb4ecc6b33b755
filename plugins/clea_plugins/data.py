"""Declarative branch data: modalities and training hints in a YAML file shipped with the plugin.

A branch keeps its *content* (scenarios, durations, training actions) in ``data/modalities.yaml`` and its
*rules* in Python. :func:`load_branch_data` reads and checks the file; an error names the file, the place
inside it (``modalities[3].method``) and what is wrong, like the kernel's referential loader.

File format (every key is checked)::

    branch: btp                      # the plugin's code
    not_covered: []                  # sub-domains deliberately left to another modality
    defaults: {duration_minutes: 30, group_size: 1, on_site: false}
    modalities:
      - subdomains: ["7.1", "7.2"]   # one Modality per sub-domain listed
        method: observation_en_situation_de_travail
        duration_minutes: 45         # per sub-domain
        group_size: 1
        on_site: true
        scenarios: ["…"]
    training:
      - scope: ["1.3", "1"]          # a sub-domain code, or a domain code (every sub-domain of it)
        title: "…"
        hours_per_criterion: 4
        provider_hint: "…"

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from clea.kernel.journey import Objective
from clea_plugins.types import Method, Modality, TrainingOffer

_MODALITY_KEYS = frozenset({"subdomains", "method", "duration_minutes", "group_size", "on_site", "scenarios"})
_TRAINING_KEYS = frozenset({"scope", "title", "hours_per_criterion", "provider_hint"})
_ROOT_KEYS = frozenset({"branch", "not_covered", "defaults", "modalities", "training"})


class BranchDataError(ValueError):
    def __init__(self, source: str, place: str, problem: str) -> None:
        super().__init__(f"{source}: {place}: {problem}")
        self.source = source
        self.place = place
        self.problem = problem


@dataclass(frozen=True)
class TrainingHint:
    scope: tuple[str, ...]
    title: str
    hours_per_criterion: int
    provider_hint: str

    def matches(self, subdomain: str) -> bool:
        return any(subdomain == code or subdomain.startswith(f"{code}.") for code in self.scope)


@dataclass(frozen=True)
class BranchData:
    branch: str
    modalities: tuple[Modality, ...]
    not_covered: tuple[str, ...]
    training: tuple[TrainingHint, ...]

    @property
    def subdomains(self) -> frozenset[str]:
        return frozenset(modality.subdomain for modality in self.modalities)

    def training_offers(self, objectives: Sequence[Objective]) -> list[TrainingOffer]:
        """One offer per objective, from the first training hint whose scope matches its sub-domain."""
        offers = []
        for objective in objectives:
            hint = next((hint for hint in self.training if hint.matches(objective.subdomain)), None)
            if hint is None:
                continue
            hours = hint.hours_per_criterion * max(1, len(objective.criteria))
            offers.append(TrainingOffer(objective.subdomain, hint.title, hours, hint.provider_hint, self.branch))
        return offers


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, place: str, problem: str) -> BranchDataError:
        return BranchDataError(self.source, place, problem)

    def mapping(self, value: object, place: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(place, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            listed, known = ", ".join(map(str, unknown)), ", ".join(sorted(allowed))
            raise self.fail(place, f"unknown key(s) {listed} (allowed: {known})")
        return value

    def codes(self, value: object, place: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(place, "expected a non-empty list of codes")
        return tuple(str(code) for code in value)

    def texts(self, value: object, place: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(place, "expected a non-empty list of texts")
        return tuple(v.strip() for v in value)

    def text(self, value: object, place: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(place, "expected a non-empty text")
        return value.strip()

    def positive(self, value: object, place: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(place, f"expected a positive whole number, got {value!r}")
        return value

    def flag(self, value: object, place: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(place, f"expected true or false, got {value!r}")
        return value

    def method(self, value: object, place: str) -> Method:
        try:
            return Method(str(value))
        except ValueError:
            allowed = ", ".join(method.value for method in Method)
            raise self.fail(place, f"unknown method {value!r} (allowed: {allowed})") from None


def parse_branch_data(text: str, source: str = "<branch data>") -> BranchData:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BranchDataError(source, "(file)", f"not valid YAML ({error})") from None
    reader = _Reader(source)
    root = reader.mapping(document, "(root)", _ROOT_KEYS)
    branch = reader.text(root.get("branch"), "branch")
    not_covered = tuple(str(code) for code in root.get("not_covered") or [])
    defaults = reader.mapping(root.get("defaults") or {}, "defaults", _MODALITY_KEYS - {"subdomains", "scenarios"})
    raw_modalities = root.get("modalities")
    if not isinstance(raw_modalities, list) or not raw_modalities:
        raise reader.fail("modalities", "expected a non-empty list")
    modalities: list[Modality] = []
    for index, raw in enumerate(raw_modalities):
        place = f"modalities[{index}]"
        node: dict[str, Any] = {**defaults, **reader.mapping(raw, place, _MODALITY_KEYS)}
        for key in ("method", "duration_minutes", "group_size", "on_site", "scenarios", "subdomains"):
            if key not in node:
                raise reader.fail(f"{place}.{key}", "missing (and no default)")
        method = reader.method(node["method"], f"{place}.method")
        scenarios = reader.texts(node["scenarios"], f"{place}.scenarios")
        duration = reader.positive(node["duration_minutes"], f"{place}.duration_minutes")
        group = reader.positive(node["group_size"], f"{place}.group_size")
        on_site = reader.flag(node["on_site"], f"{place}.on_site")
        for code in reader.codes(node["subdomains"], f"{place}.subdomains"):
            modalities.append(Modality(code, method, scenarios, duration, group, on_site, branch))
    training: list[TrainingHint] = []
    for index, raw in enumerate(root.get("training") or []):
        place = f"training[{index}]"
        hint = reader.mapping(raw, place, _TRAINING_KEYS)
        training.append(
            TrainingHint(
                scope=reader.codes(hint.get("scope"), f"{place}.scope"),
                title=reader.text(hint.get("title"), f"{place}.title"),
                hours_per_criterion=reader.positive(hint.get("hours_per_criterion"), f"{place}.hours_per_criterion"),
                provider_hint=reader.text(hint.get("provider_hint"), f"{place}.provider_hint"),
            )
        )
    return BranchData(branch, tuple(modalities), not_covered, tuple(training))


def load_branch_data(package: str, resource: str = "data/modalities.yaml") -> BranchData:
    """Read ``resource`` shipped inside ``package`` (declare it as package data in the pyproject)."""
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return parse_branch_data(text, source=f"{package}/{resource}")
