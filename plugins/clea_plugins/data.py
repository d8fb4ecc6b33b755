"""Declarative branch data: identity, modalities, training hints and jury sections in a YAML file.

A branch keeps its *content* (who it is, scenarios, durations, training actions, what it adds to the jury
file) in ``data/modalities.yaml`` and its *rules* in Python. :func:`load_branch_data` reads and checks the
file; an error names the file, the place inside it (``modalities[3].method``) and what is wrong, like the
kernel's referential loader. :class:`clea_plugins.declarative.DeclarativeBranch` answers every hook from it.

File format (every key is checked; only ``branch`` and ``modalities`` are required by the loader, and
``identity`` by :class:`~clea_plugins.declarative.DeclarativeBranch`)::

    branch: btp                      # the plugin's code: clea_branch_<code>, the entry-point name
    identity:                        # BranchIdentity (the version comes from the package's __version__)
      name: "Bâtiment et travaux publics"
      description: "…"
      contact: referent-clea@btp.example.org
    referentials: [CLEA]             # referential codes the branch serves (default: [CLEA])
    not_covered: []                  # sub-domains deliberately left to another modality
    defaults: {duration_minutes: 30, group_size: 1, on_site: false}
    modalities:
      - subdomains: ["7.1"]          # one Modality per sub-domain listed, all with the same scenarios
        method: observation_en_situation_de_travail
        duration_minutes: 45         # per sub-domain
        group_size: 1
        on_site: true
        scenarios: ["…"]
      - method: entretien            # or scenarios per sub-domain: each gets its own lines only
        scenarios:                   # (``subdomains`` may then be left out: the keys are the sub-domains)
          "6.1": ["…"]
          "6.2": ["…"]
    training:
      - scope: ["1.3", "1"]          # a sub-domain code, or a domain code (every sub-domain of it)
        title: "…"
        hours_per_criterion: 4
        provider_hint: "…"
    jury_sections:                   # clea_jury_file_sections; a line may use {evidence_count}
      - title: "BTP — modalité d'évaluation"
        lines: ["…", "Pièces jointes au dossier : {evidence_count}."]
    journey_notes:                   # clea_journey_event: logged when a decision of that kind is recorded
      initial_evaluation: "penser à classer les fiches d'observation chantier"

.. versionadded:: 0.1
.. versionchanged:: 0.2 ``identity``, ``referentials``, ``jury_sections``, ``journey_notes``; scenarios per
   sub-domain; ``load_branch_data(..., branch=)`` checks the ``branch`` key against the plugin's code.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from clea.kernel.journey import DecisionKind, Objective
from clea.kernel.jury import JurySnapshot
from clea_plugins.types import JuryFileSection, Method, Modality, TrainingOffer

_MODALITY_KEYS = frozenset({"subdomains", "method", "duration_minutes", "group_size", "on_site", "scenarios"})
_TRAINING_KEYS = frozenset({"scope", "title", "hours_per_criterion", "provider_hint"})
_ROOT_KEYS = frozenset(
    {
        "branch",
        "identity",
        "referentials",
        "not_covered",
        "defaults",
        "modalities",
        "training",
        "jury_sections",
        "journey_notes",
    }
)
_IDENTITY_KEYS = frozenset({"name", "description", "contact"})
_SECTION_KEYS = frozenset({"title", "lines"})
SECTION_FIELDS = frozenset({"evidence_count"})  # what a jury section line may use, e.g. {evidence_count}
DEFAULT_REFERENTIALS = ("CLEA",)


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
class SectionTemplate:
    """A jury file section of the data file; its lines may use the fields of :data:`SECTION_FIELDS`."""

    title: str
    lines: tuple[str, ...]

    def render(self, snapshot: JurySnapshot, branch: str) -> JuryFileSection:
        values = {"evidence_count": len(snapshot.evidence)}
        return JuryFileSection(self.title, tuple(line.format(**values) for line in self.lines), branch)


@dataclass(frozen=True)
class BranchData:
    branch: str
    modalities: tuple[Modality, ...]
    not_covered: tuple[str, ...]
    training: tuple[TrainingHint, ...]
    # .. versionadded:: 0.2
    name: str = ""
    description: str = ""
    contact: str = ""
    referentials: tuple[str, ...] = DEFAULT_REFERENTIALS
    sections: tuple[SectionTemplate, ...] = ()
    journey_notes: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""

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

    def jury_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        """The ``jury_sections`` of the file, rendered for ``snapshot``."""
        return [section.render(snapshot, self.branch) for section in self.sections]


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

    def line(self, value: object, place: str) -> str:
        text = self.text(value, place)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            raise self.fail(place, f"bad braces ({error}); write {{{{ and }}}} for a literal brace") from None
        unknown = sorted(used - SECTION_FIELDS)
        if unknown:
            raise self.fail(place, f"unknown field(s) {unknown} (allowed: {sorted(SECTION_FIELDS)})")
        return text

    def method(self, value: object, place: str) -> Method:
        try:
            return Method(str(value))
        except ValueError:
            allowed = ", ".join(method.value for method in Method)
            raise self.fail(place, f"unknown method {value!r} (allowed: {allowed})") from None


def _scenarios_by_subdomain(
    reader: _Reader, node: Mapping[str, Any], place: str
) -> list[tuple[str, tuple[str, ...]]]:
    """``(sub-domain, scenarios)`` of one modality entry: one shared list, or one list per sub-domain."""
    raw = node.get("scenarios")
    if isinstance(raw, Mapping):
        per = {str(code): reader.texts(lines, f"{place}.scenarios.{code}") for code, lines in raw.items()}
        if not per:
            raise reader.fail(f"{place}.scenarios", "expected at least one sub-domain")
        if "subdomains" in node:
            listed = reader.codes(node["subdomains"], f"{place}.subdomains")
            if set(listed) != set(per):
                raise reader.fail(
                    f"{place}.scenarios",
                    f"keys {sorted(per)} differ from subdomains {sorted(listed)} (one list per sub-domain listed)",
                )
        return list(per.items())
    if "subdomains" not in node:
        raise reader.fail(f"{place}.subdomains", "missing (and the scenarios are not given per sub-domain)")
    shared = reader.texts(raw, f"{place}.scenarios")
    return [(code, shared) for code in reader.codes(node["subdomains"], f"{place}.subdomains")]


def parse_branch_data(text: str, source: str = "<branch data>", *, branch: str | None = None) -> BranchData:
    """Parse and check a branch data file; ``branch``: the plugin's code, which the ``branch`` key must equal."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BranchDataError(source, "(file)", f"not valid YAML ({error})") from None
    reader = _Reader(source)
    root = reader.mapping(document, "(root)", _ROOT_KEYS)
    code = reader.text(root.get("branch"), "branch")
    if branch is not None and code != branch:
        raise BranchDataError(
            source,
            "branch",
            f"{code!r} differs from the plugin's code {branch!r} (its package clea_branch_{branch} and its "
            f"entry-point name): write 'branch: {branch}'",
        )
    identity = reader.mapping(root.get("identity") or {}, "identity", _IDENTITY_KEYS)
    name, description, contact = (
        reader.text(identity[key], f"identity.{key}") if key in identity else ""
        for key in ("name", "description", "contact")
    )
    referentials = (
        reader.codes(root["referentials"], "referentials") if "referentials" in root else DEFAULT_REFERENTIALS
    )
    not_covered = tuple(str(code) for code in root.get("not_covered") or [])
    defaults = reader.mapping(root.get("defaults") or {}, "defaults", _MODALITY_KEYS - {"subdomains", "scenarios"})
    raw_modalities = root.get("modalities")
    if not isinstance(raw_modalities, list) or not raw_modalities:
        raise reader.fail("modalities", "expected a non-empty list")
    modalities: list[Modality] = []
    for index, raw in enumerate(raw_modalities):
        place = f"modalities[{index}]"
        node: dict[str, Any] = {**defaults, **reader.mapping(raw, place, _MODALITY_KEYS)}
        for key in ("method", "duration_minutes", "group_size", "on_site", "scenarios"):
            if key not in node:
                raise reader.fail(f"{place}.{key}", "missing (and no default)")
        method = reader.method(node["method"], f"{place}.method")
        duration = reader.positive(node["duration_minutes"], f"{place}.duration_minutes")
        group = reader.positive(node["group_size"], f"{place}.group_size")
        on_site = reader.flag(node["on_site"], f"{place}.on_site")
        for subdomain, scenarios in _scenarios_by_subdomain(reader, node, place):
            modalities.append(Modality(subdomain, method, scenarios, duration, group, on_site, code))
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
    sections: list[SectionTemplate] = []
    for index, raw in enumerate(root.get("jury_sections") or []):
        place = f"jury_sections[{index}]"
        section = reader.mapping(raw, place, _SECTION_KEYS)
        raw_lines = section.get("lines")
        if not isinstance(raw_lines, list) or not raw_lines:
            raise reader.fail(f"{place}.lines", "expected a non-empty list of texts")
        lines = tuple(reader.line(line, f"{place}.lines[{i}]") for i, line in enumerate(raw_lines))
        sections.append(SectionTemplate(reader.text(section.get("title"), f"{place}.title"), lines))
    kinds = frozenset(kind.value for kind in DecisionKind)
    notes = reader.mapping(root.get("journey_notes") or {}, "journey_notes", kinds)
    journey_notes = {str(kind): reader.text(note, f"journey_notes.{kind}") for kind, note in notes.items()}
    return BranchData(
        code,
        tuple(modalities),
        not_covered,
        tuple(training),
        name=name,
        description=description,
        contact=contact,
        referentials=referentials,
        sections=tuple(sections),
        journey_notes=journey_notes,
        source=source,
    )


def load_branch_data(package: str, resource: str = "data/modalities.yaml", *, branch: str | None = None) -> BranchData:
    """Read ``resource`` shipped inside ``package`` (declare it as package data in the pyproject).

    ``branch``: the plugin's code; a ``branch:`` key that differs is reported naming the file.
    """
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return parse_branch_data(text, source=f"{package}/{resource}", branch=branch)
