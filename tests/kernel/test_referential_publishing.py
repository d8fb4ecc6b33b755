"""Publishing a referential version: shape checks (French messages), rows ↔ document, diff (R4, R13)."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from clea.kernel.referential import ReferentialError, load_shipped, parse_referential
from clea.kernel.referential.diff import diff_referentials
from clea.kernel.referential.structure import ReferentialStructureError, check_structure, structure_problems
from clea.kernel.referential.tabular import COLUMNS, referential_rows, rows_to_document

SOCLE_TEXT = resources.files("clea.kernel.referential").joinpath("data", "clea-socle.yaml").read_text(encoding="utf-8")
PROPOSED = Path(__file__).resolve().parents[2] / "tests" / "publishing" / "data" / "clea-socle-proposed.yaml"


def socle_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SOCLE_TEXT)
    return document


def test_the_shipped_socle_has_the_cléa_shape() -> None:
    assert structure_problems(load_shipped()) == []


def test_a_six_domain_referential_is_refused_in_french() -> None:
    document = socle_document()
    del document["domains"][6]
    with pytest.raises(ReferentialStructureError) as refused:
        check_structure(parse_referential(yaml.safe_dump(document, allow_unicode=True)))
    messages = refused.value.messages_fr
    assert "Le référentiel CLEA doit compter 7 domaines : ce fichier en compte 6." in messages
    assert any("28 sous-domaines" in m and "en compte 24" in m for m in messages)
    assert {p.rule for p in refused.value.problems} == {"structure_domains", "structure_subdomains"}


def test_empty_sub_domain_and_misplaced_codes_are_refused() -> None:
    document = socle_document()
    document["domains"][0]["subdomains"][0]["criteria"] = []
    document["domains"][1]["subdomains"][0]["criteria"][0]["code"] = "9.9.9"
    problems = structure_problems(parse_referential(yaml.safe_dump(document, allow_unicode=True)))
    assert [p.rule for p in problems] == ["structure_empty_subdomain", "structure_codes"]
    assert "Le sous-domaine 1.1 n'a aucun critère" in problems[0].message_fr


def test_loader_errors_have_a_french_wording() -> None:
    document = socle_document()
    document["domains"][0]["subdomains"][1]["criteria"][1]["code"] = "1.2.1"
    with pytest.raises(ReferentialError) as duplicate:
        parse_referential(yaml.safe_dump(document, allow_unicode=True), "envoi.yaml")
    assert "le code '1.2.1' (critère) est en double" in duplicate.value.message_fr
    document = socle_document()
    document["domains"][0]["subdomains"][0]["mastery"] = {"threshold": 1.5}
    with pytest.raises(ReferentialError) as threshold:
        parse_referential(yaml.safe_dump(document, allow_unicode=True))
    assert "un seuil entre 0 (exclu) et 1 est attendu" in threshold.value.message_fr
    document["domains"][0]["subdomains"][0]["mastery"] = {"mandatory": ["7.1.1"]}
    with pytest.raises(ReferentialError) as mandatory:
        parse_referential(yaml.safe_dump(document, allow_unicode=True))
    assert "le critère obligatoire '7.1.1' n'appartient pas à ce sous-domaine" in mandatory.value.message_fr


def _rows(referential_text: str) -> list[dict[str, str]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in referential_rows(parse_referential(referential_text))]


def test_rows_round_trip_keeps_every_criterion_and_rule() -> None:
    document = socle_document()
    document["domains"][1]["subdomains"][1]["mastery"] = {"threshold": "1/2", "mandatory": ["2.2.1"]}
    original = parse_referential(yaml.safe_dump(document, allow_unicode=True))
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in referential_rows(original)]
    assert len(rows) == 107
    assert rows[0]["domaine"] == "1" and rows[0]["critere"] == "1.1.1" and rows[0]["seuil"] == ""
    again = parse_referential(yaml.safe_dump(rows_to_document(rows, original.code, original.title, "x.csv")))
    assert referential_rows(again) == referential_rows(original)  # codes, titles, rules (not provisional flags)
    assert again.criterion_codes == original.criterion_codes
    assert again.subdomain("2.2").rule.mandatory == frozenset({"2.2.1"})


def test_rows_in_percent_and_bad_rows() -> None:
    rows = _rows(SOCLE_TEXT)
    for row in rows:
        if row["sous_domaine"] == "3.1":
            row["seuil"] = "50 %"
    halves = parse_referential(yaml.safe_dump(rows_to_document(rows, "CLEA", "t", "x")))
    assert halves.subdomain("3.1").rule.threshold == 0.5
    rows[3]["seuil"] = "0,6"
    with pytest.raises(ReferentialError, match="two thresholds") as two:
        rows_to_document(rows, "CLEA", "t", "x.csv")
    assert two.value.message_fr.startswith("line 5 : ligne 5 : le seuil du sous-domaine 1.2")
    rows = _rows(SOCLE_TEXT)
    rows[0]["titre_critere"] = " "
    with pytest.raises(ReferentialError) as empty:
        rows_to_document(rows, "CLEA", "t", "x.csv")
    assert "« titre_critere » est vide" in empty.value.problem_fr
    with pytest.raises(ReferentialError):
        rows_to_document([], "CLEA", "t", "x.csv")


def test_diff_with_the_proposed_socle_has_notes_only() -> None:
    proposed_text = PROPOSED.read_text(encoding="utf-8")
    old, new = load_shipped(), parse_referential(proposed_text)
    diff = diff_referentials(old, new, socle_document(), yaml.safe_load(proposed_text))
    assert old.identity != new.identity
    assert diff.structural == ()
    labels = {change.label_fr for change in diff.annotations}
    assert "sous-domaine 1.1 · note" in labels
    assert "référentiel · gaps[1]" in labels and "référentiel · sources.intercariforef" in labels
    assert any(c.label_fr == "critère 5.2.3 · note" and c.action == "added" for c in diff.annotations)


def test_diff_shows_structural_changes() -> None:
    document = socle_document()
    new_document = copy.deepcopy(document)
    new_document["domains"][0]["subdomains"][0]["criteria"].append({"code": "1.1.3", "title": "Nouveau critère"})
    new_document["domains"][0]["subdomains"][1]["criteria"][0]["title"] = "Autre intitulé"
    new_document["domains"][2]["subdomains"][0]["mastery"] = {"threshold": "2/3", "mandatory": ["3.1.1"]}
    del new_document["domains"][6]["subdomains"][0]["criteria"][0]
    old = parse_referential(yaml.safe_dump(document, allow_unicode=True))
    new = parse_referential(yaml.safe_dump(new_document, allow_unicode=True))
    structural = diff_referentials(old, new, document, new_document).structural
    summary = {(c.action, c.level, c.code, c.field) for c in structural}
    assert summary == {
        ("added", "criterion", "1.1.3", ""),
        ("changed", "criterion", "1.2.1", "title"),
        ("changed", "subdomain", "3.1", "mastery"),
        ("removed", "criterion", "7.1.1", ""),
    }
    rule = next(c for c in structural if c.field == "mastery")
    assert (rule.old, rule.new) == ("seuil 3/4", "seuil 2/3 ; obligatoires 3.1.1")
