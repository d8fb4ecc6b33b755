"""Referential versions: the shipped CléA file, identity (R13), mastery rules declared in YAML (R4), bad files."""

from __future__ import annotations

import copy
import functools
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.kernel.builders import referential_document, referential_from

from clea.kernel.referential import (
    MasteryRule,
    Referential,
    ReferentialError,
    default_referential,
    load_referential,
    load_shipped,
    parse_referential,
    shipped_referentials,
)

DATA = resources.files("clea.kernel.referential").joinpath("data")


@functools.cache
def _shipped(name: str) -> dict[str, Any]:
    document = yaml.safe_load(DATA.joinpath(name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def shipped_document(name: str = "clea-socle.yaml") -> dict[str, Any]:
    """The shipped file as plain data, read with yaml.safe_load independently of the loader (a fresh copy)."""
    return copy.deepcopy(_shipped(name))


def parse_error(document: object, source: str = "broken.yaml") -> ReferentialError:
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    with pytest.raises(ReferentialError) as info:
        parse_referential(text, source)
    error = info.value
    assert error.source == source
    assert source in str(error)
    assert error.problem and error.problem in str(error)
    if error.place:
        assert error.place in str(error)
    return error


# --------------------------------------------------------------------------------------------- shipped CléA


def test_r4_shipped_clea_has_7_domains_28_subdomains_and_every_criterion_of_the_file() -> None:
    ref = default_referential()
    raw = shipped_document()
    counted = sum(len(sub["criteria"]) for domain in raw["domains"] for sub in domain["subdomains"])
    assert counted == 107  # read independently of the loader
    assert len(ref.domains) == 7
    assert sum(len(domain.subdomains) for domain in ref.domains) == 28
    assert len(ref.criterion_codes) == counted
    assert len(list(ref.iter_criteria())) == counted
    assert [domain.code for domain in ref.domains] == [str(n) for n in range(1, 8)]
    per_domain = {d.code: sum(len(s.criteria) for s in d.subdomains) for d in ref.domains}
    assert per_domain == {str(k): v for k, v in raw["stated_totals"]["criteria_per_domain"].items()}
    assert ref.is_complete
    assert ref.code == "CLEA"
    assert ref.gaps  # the file's own list of unverified points is kept


def test_r4_shipped_clea_uses_the_default_75_percent_rule_everywhere() -> None:
    ref = default_referential()
    for _, sub in ref.iter_subdomains():
        assert sub.rule == MasteryRule(threshold=Fraction(3, 4), mandatory=frozenset())


def test_r13_a_criterion_belongs_to_exactly_one_subdomain() -> None:
    ref = default_referential()
    for domain, sub, criterion in ref.iter_criteria():
        assert ref.subdomain_of_criterion[criterion.code] == sub.code
        assert ref.criterion(criterion.code) == criterion
        assert ref.subdomain(sub.code) is sub
        assert ref.domains_by_code[domain.code] is domain


def test_provisional_titles_stay_marked() -> None:
    ref = default_referential()
    provisional = {sub.code for _, sub in ref.iter_subdomains() if sub.title_provisional}
    assert provisional == {"4.1", "4.2", "4.3", "4.4", "6.1", "6.2", "6.3"}
    assert not any(domain.title_provisional for domain in ref.domains)
    assert not any(criterion.title_provisional for _, _, criterion in ref.iter_criteria())


def test_clea_numerique_loads_as_a_partial_referential() -> None:
    numerique = load_shipped("clea-numerique.yaml")
    assert numerique.code == "CLEA-NUMERIQUE"
    assert len(numerique.domains) == 4
    assert not numerique.is_complete
    assert numerique.criterion_codes == frozenset()
    assert [d.title_provisional for d in numerique.domains] == [False, False, False, True]
    assert numerique.identity != default_referential().identity


def test_shipped_referentials_are_indexed_by_identity() -> None:
    shipped = shipped_referentials()
    assert set(shipped) == {default_referential().identity, load_shipped("clea-numerique.yaml").identity}
    assert all(identity == ref.identity for identity, ref in shipped.items())


def test_only_shipped_files_can_be_loaded_by_name() -> None:
    with pytest.raises(ReferentialError) as info:
        load_shipped("../../secrets.yaml")
    assert "not a shipped referential" in info.value.problem


def test_a_small_complete_referential_works_too() -> None:
    ref = referential_from(referential_document([[2, 3], [4]]))
    assert ref.is_complete
    assert len(ref.domains) == 2
    assert len(ref.criterion_codes) == 9


def test_load_referential_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(DATA.joinpath("clea-socle.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load_referential(path)
    assert loaded.identity == default_referential().identity
    assert loaded.source_name == "mine.yaml"


# ------------------------------------------------------------------------------------------ identity (R13)


def test_r13_identity_is_code_plus_content_hash() -> None:
    ref = default_referential()
    assert ref.identity.startswith("CLEA@")
    assert ref.identity == f"{ref.code}@{ref.content_hash[:16]}"
    assert len(ref.content_hash) == 64


def test_r13_identity_survives_key_reordering_and_reformatting() -> None:
    document = shipped_document()
    ref = default_referential()
    sorted_block = yaml.safe_dump(document, sort_keys=True, allow_unicode=True)
    flow = yaml.safe_dump(document, default_flow_style=True, width=10_000, allow_unicode=False)
    reordered = dict(reversed(list(document.items())))
    reordered["domains"] = [dict(reversed(list(d.items()))) for d in document["domains"]]
    for text in (sorted_block, flow, yaml.safe_dump(reordered, sort_keys=False, indent=4)):
        assert parse_referential(text, "other-name.yaml").identity == ref.identity


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["domains"][0]["subdomains"][0]["criteria"][0].update(title="Porter attention"),
        lambda d: d["domains"][6]["subdomains"][3]["criteria"].pop(),
        lambda d: d["domains"][2]["subdomains"][1].update(mastery={"threshold": 0.5}),
        lambda d: d.update(mastery_default={"threshold": "2/3"}),
    ],
    ids=["criterion-title", "criterion-removed", "subdomain-rule", "default-rule"],
)
def test_r13_identity_changes_when_content_changes(change: Any) -> None:
    document = shipped_document()
    change(document)
    changed = referential_from(document)
    assert changed.code == "CLEA"
    assert changed.identity != default_referential().identity
    assert changed != default_referential()


# ------------------------------------------------------------------------------------- mastery rules in YAML


def test_r4_version_level_mastery_default_is_honoured() -> None:
    ref = referential_from(referential_document([[4, 3]], mastery_default={"threshold": 0.5}))
    assert all(sub.rule.threshold == Fraction(1, 2) for _, sub in ref.iter_subdomains())


def test_r4_subdomain_mastery_threshold_and_mandatory_are_honoured() -> None:
    document = referential_document([[4, 3]], mastery_default={"threshold": "2/3"})
    document["domains"][0]["subdomains"][0]["mastery"] = {"threshold": 0.5, "mandatory": ["1.1.2"]}
    document["domains"][0]["subdomains"][1]["mastery"] = {"mandatory": ["1.2.3"]}
    ref = referential_from(document)
    first, second = ref.domains[0].subdomains
    assert first.rule == MasteryRule(Fraction(1, 2), frozenset({"1.1.2"}))
    assert second.rule == MasteryRule(Fraction(2, 3), frozenset({"1.2.3"}))  # threshold from the version default


@pytest.mark.parametrize("value", [1, 1.0, "1", 0.75, "3/4", "0.75"])
def test_r4_good_thresholds_are_read_exactly(value: object) -> None:
    ref = referential_from(referential_document([[4]], mastery_default={"threshold": value}))
    assert ref.domains[0].subdomains[0].rule.threshold == Fraction(str(value))


# ------------------------------------------------------------------------------------------ malformed files


def test_error_names_file_place_and_problem_for_a_missing_criterion_code() -> None:
    document = shipped_document()
    del document["domains"][3]["subdomains"][1]["criteria"][0]["code"]
    error = parse_error(document, "clea-socle.yaml")
    assert error.place == "domains[3].subdomains[1].criteria[0].code"
    assert error.problem == "missing"
    assert str(error) == "clea-socle.yaml: domains[3].subdomains[1].criteria[0].code: missing"


MINI = referential_document([[2, 2], [3]])


def mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(MINI)
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "place", "problem"),
    [
        (lambda d: d.pop("code"), "code", "missing"),
        (lambda d: d.update(title="   "), "title", "empty"),
        (lambda d: d.update(domains=[]), "domains", "at least one domain"),
        (lambda d: d.update(domains={"1": {}}), "domains", "expected a list"),
        (lambda d: d.pop("domains"), "domains", "missing"),
        (lambda d: d["domains"][1].update(title=["a", "b"]), "domains[1].title", "expected text, got list"),
        (lambda d: d["domains"][0].update(code=True), "domains[0].code", "expected text, got bool"),
        (lambda d: d["domains"][0]["subdomains"].__setitem__(1, "1.2"), "domains[0].subdomains[1]", "mapping"),
        (lambda d: d["domains"][0]["subdomains"][1].pop("criteria"), "domains[0].subdomains[1].criteria", "missing"),
        (
            lambda d: d["domains"][0]["subdomains"][0]["criteria"][1].update(title=""),
            "domains[0].subdomains[0].criteria[1].title",
            "empty",
        ),
        (
            lambda d: d["domains"][0]["subdomains"][0]["criteria"][1].update(title={"fr": "x"}),
            "domains[0].subdomains[0].criteria[1].title",
            "expected text, got dict",
        ),
        (
            lambda d: d["domains"][1]["subdomains"][0]["criteria"][2].update(code="1.1.1"),
            "domains[1].subdomains[0].criteria[2].code",
            "duplicate criterion code '1.1.1' (already at domains[0].subdomains[0].criteria[0].code)",
        ),
        (
            lambda d: d["domains"][1]["subdomains"][0].update(code="1.2"),
            "domains[1].subdomains[0].code",
            "duplicate sub-domain code '1.2' (already at domains[0].subdomains[1].code)",
        ),
        (
            lambda d: d["domains"][1].update(code="1"),
            "domains[1].code",
            "duplicate domain code '1' (already at domains[0].code)",
        ),
        (
            lambda d: d["domains"][0]["subdomains"][0].update(title_provisional="yes"),
            "domains[0].subdomains[0].title_provisional",
            "expected true or false",
        ),
        (
            lambda d: d["domains"][0]["subdomains"][1].update(mastery={"mandatory": ["1.2.1", "2.1.1"]}),
            "domains[0].subdomains[1].mastery.mandatory[1]",
            "criterion '2.1.1' is not in this sub-domain",
        ),
        (
            lambda d: d["domains"][0]["subdomains"][1].update(mastery={"mandatory": "1.2.1"}),
            "domains[0].subdomains[1].mastery.mandatory",
            "expected a list",
        ),
        (
            lambda d: d["domains"][0]["subdomains"][1].update(mastery=0.75),
            "domains[0].subdomains[1].mastery",
            "expected a mapping",
        ),
    ],
)
def test_malformed_file_is_refused_with_file_place_and_problem(change: Any, place: str, problem: str) -> None:
    error = parse_error(mutated(change))
    assert error.place == place
    assert problem in error.problem


@pytest.mark.parametrize("value", [0, 1.5, "abc", -0.5, None, True, [0.5], "1/0", "nan", float("inf")])
def test_bad_threshold_is_refused(value: object) -> None:
    error = parse_error(mutated(lambda d: d["domains"][1]["subdomains"][0].update(mastery={"threshold": value})))
    assert error.place == "domains[1].subdomains[0].mastery.threshold"
    assert "expected a share between 0 and 1" in error.problem


@pytest.mark.parametrize("value", [0, 1.5, "abc"])
def test_bad_version_default_threshold_is_refused(value: object) -> None:
    error = parse_error(mutated(lambda d: d.update(mastery_default={"threshold": value})))
    assert error.place == "mastery_default.threshold"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("code: X\ntitle: [unclosed\n", "not valid YAML"),
        ("code: X\n\ttitle: tab\n", "not valid YAML"),
        ("", "expected a mapping, got NoneType"),
        ("- just\n- a list\n", "expected a mapping, got list"),
    ],
)
def test_invalid_yaml_is_refused_with_file_name(text: str, problem: str) -> None:
    error = parse_error(text, "bad.yaml")
    assert problem in error.problem
    if "YAML" in problem:
        assert error.place.startswith("line ")


def test_mixed_key_types_are_refused_not_crashing() -> None:
    """Valid YAML whose mappings mix int and text keys cannot be hashed canonically: a clear refusal."""
    document = copy.deepcopy(MINI)
    text = yaml.safe_dump(document, sort_keys=False) + "stated_totals: {1: 18, '2': 20}\n"
    error = parse_error(text, "mixed.yaml")
    assert "content hash" in error.problem


def test_unreadable_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ReferentialError) as missing:
        load_referential(tmp_path / "nowhere.yaml")
    assert missing.value.source == "nowhere.yaml"
    assert "cannot be read" in missing.value.problem

    with pytest.raises(ReferentialError) as directory:
        load_referential(tmp_path)
    assert "cannot be read" in directory.value.problem

    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00code: X")
    with pytest.raises(ReferentialError) as undecodable:
        load_referential(binary)
    assert undecodable.value.source == "binary.yaml"
    assert "binary.yaml" in str(undecodable.value)


def test_referential_is_immutable() -> None:
    ref: Referential = default_referential()
    with pytest.raises(AttributeError):
        ref.code = "OTHER"  # type: ignore[misc]
