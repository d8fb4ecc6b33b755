"""The SDK's declarative base: a branch that is data plus the hooks it customises."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from clea.kernel.evidence import PHOTO
from clea.kernel.journey import Decision, DecisionKind
from clea.kernel.jury import JurySnapshot
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential, load_shipped
from clea_plugins import JuryFileSection, Modality, TaskEnqueuer, ValidationIssue, hookimpl
from clea_plugins.data import BranchDataError, parse_branch_data
from clea_plugins.declarative import DeclarativeBranch
from clea_plugins.errors import PluginLoadError
from clea_plugins.manager import NoOutbox, build_host
from clea_plugins.testkit import RecordingEnqueuer, sample_decisions, sample_evaluation, sample_snapshot
from clea_plugins.testkit.samples import SAMPLE_START, sample_profile

DATA = """
branch: {code}
identity:
  name: "Démonstration"
  description: "Une branche de démonstration."
  contact: referent@demo.example.org
not_covered: []
defaults: {{duration_minutes: 30, group_size: 1, on_site: false}}
modalities:
  - method: entretien
    scenarios:
      "1.1": ["Écouter une consigne"]
      "1.2": ["Expliquer son poste"]
  - subdomains: ["2.1", "2.2"]
    method: epreuve_ecrite
    scenarios: ["Calculer un devis (sert aux deux sous-domaines)"]
training:
  - scope: ["1"]
    title: "Communiquer au travail"
    hours_per_criterion: 2
    provider_hint: "GRETA"
jury_sections:
  - title: "Démonstration"
    lines: ["Pièces jointes : {{evidence_count}}."]
journey_notes:
  submitted: "dossier transmis"
"""

MakeBranch = Callable[..., str]


@pytest.fixture
def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeBranch]:
    """Write ``clea_branch_<code>`` (``__init__`` + ``data/modalities.yaml``) on ``sys.path``; returns the package."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made: list[str] = []

    def make(code: str = "demo", data: str = DATA, branch: str | None = None) -> str:
        package = f"clea_branch_{code}"
        (tmp_path / package / "data").mkdir(parents=True)
        (tmp_path / package / "__init__.py").write_text('__version__ = "1.2.0"\n', encoding="utf-8")
        (tmp_path / package / "data" / "modalities.yaml").write_text(data.format(code=branch or code), "utf-8")
        made.append(package)
        return package

    yield make
    for name in [name for name in sys.modules if name.startswith(tuple(made))]:
        del sys.modules[name]


def test_every_hook_is_answered_from_the_data_file(make_package: MakeBranch, referential: Referential) -> None:
    plugin = DeclarativeBranch(make_package())
    host = build_host({"demo": plugin}, entry_points=False)
    caller = host.branch_caller(frozenset({"demo"}), 1)
    identity = host.identities()["demo"]
    assert (identity.code, identity.name, identity.version, identity.contact) == (
        "demo",
        "Démonstration",
        "1.2.0",
        "referent@demo.example.org",
    )
    modalities = caller.evaluation_modalities(referential)
    assert [(m.subdomain, m.scenarios) for m in modalities] == [
        ("1.1", ("Écouter une consigne",)),  # per sub-domain: each gets its own lines only
        ("1.2", ("Expliquer son poste",)),
        ("2.1", ("Calculer un devis (sert aux deux sous-domaines)",)),
        ("2.2", ("Calculer un devis (sert aux deux sous-domaines)",)),
    ]
    assert caller.evaluation_modalities(load_shipped("clea-numerique.yaml")) == []  # referentials: [CLEA]
    plan = caller.evaluation_plan(referential, sample_profile(), SAMPLE_START, branch="demo")
    assert plan is not None and plan.subdomains == {"1.1", "1.2", "2.1", "2.2"}
    assert caller.jury_file_sections(sample_snapshot(referential)) == [
        JuryFileSection("Démonstration", ("Pièces jointes : 2.",), "demo")
    ]
    evaluation = sample_evaluation(referential, subdomains=["1.1"])
    assert {issue.code for issue in caller.validate_evaluation(referential, evaluation, ())} == {"demo.no_modality"}


def test_rules_run_after_the_common_checks(make_package: MakeBranch, referential: Referential) -> None:
    def interview_is_refused(
        referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
    ) -> list[ValidationIssue]:
        return [
            ValidationIssue("demo", "demo.no_interview", "Pas d'entretien.", "No interview.", m.subdomain)
            for m in modalities
            if m.method.value == "entretien"
        ]

    plugin = DeclarativeBranch(make_package(), rules=(interview_is_refused,))
    evaluation = sample_evaluation(referential, subdomains=["1.1"], referential_id="CLEA@0000000000000000")
    used = tuple(m for m in plugin.clea_evaluation_modalities(referential) if m.subdomain == "1.1")
    codes = [issue.code for issue in plugin.clea_validate_evaluation(referential, evaluation, used)]
    assert codes == ["demo.referential_mismatch", "demo.no_interview"]


def test_journey_notes_are_logged_for_their_kind_only(
    make_package: MakeBranch, referential: Referential, caplog: pytest.LogCaptureFixture
) -> None:
    caller = build_host({"demo": DeclarativeBranch(make_package())}, entry_points=False).branch_caller(
        frozenset({"demo"}), 1
    )
    with caplog.at_level(logging.INFO, logger="clea.branch.demo"):
        for decision in sample_decisions(referential):
            caller.journey_event(decision, "greta-exemple")
    assert [r.getMessage() for r in caplog.records] == ["demo: dossier transmis (greta-exemple)"]


def test_a_branch_key_differing_from_the_code_names_the_file(make_package: MakeBranch) -> None:
    plugin = DeclarativeBranch(make_package("demo", branch="demonstration"))
    with pytest.raises(PluginLoadError) as raised:
        build_host({"demo": plugin}, entry_points=False)
    assert str(raised.value).splitlines()[1] == (
        "  - 'demo': clea_branch_identity raised BranchDataError: clea_branch_demo/data/modalities.yaml: branch: "
        "'demonstration' differs from the plugin's code 'demo' (its package clea_branch_demo and its entry-point "
        "name): write 'branch: demo'"
    )


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (('  name: "Démonstration"\n', ""), "clea_branch_demo/data/modalities.yaml: identity: missing name"),
        (("submitted:", "sent:"), "journey_notes: unknown key(s) sent"),
        (("{{evidence_count}}", "{{photos}}"), "jury_sections[0].lines[0]: unknown field(s) ['photos']"),
        (('"1.2": ["Expliquer', '"1.3": ["Expliquer'), None),  # per-sub-domain keys are the sub-domains
    ],
)
def test_data_file_errors_name_the_place(
    make_package: MakeBranch, mutation: tuple[str, str], message: str | None
) -> None:
    plugin = DeclarativeBranch(make_package(data=DATA.replace(*mutation)))
    if message is None:
        assert {m.subdomain for m in plugin.data().modalities} >= {"1.1", "1.3"}
        return
    with pytest.raises(BranchDataError, match=re.escape(message)):
        plugin.data()


def test_per_subdomain_scenarios_must_match_a_subdomains_list() -> None:
    listed = '  - subdomains: ["1.1"]\n    method: entretien\n'
    text = DATA.format(code="demo").replace("  - method: entretien\n", listed)
    with pytest.raises(BranchDataError, match=r"modalities\[0\]\.scenarios: keys \['1.1', '1.2'\] differ"):
        parse_branch_data(text, "demo.yaml")


def test_a_hook_override_needs_hookimpl() -> None:
    with pytest.raises(TypeError, match=r"Forgetful\.clea_jury_file_sections overrides a hook without @hookimpl"):

        class Forgetful(DeclarativeBranch):
            def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
                return []


def test_an_override_keeps_the_declarative_answer_and_may_enqueue(
    make_package: MakeBranch, referential: Referential
) -> None:
    class Demo(DeclarativeBranch):
        @hookimpl
        def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
            photos = [item for item in snapshot.evidence_items if item.kind == PHOTO]
            return [*super().clea_jury_file_sections(snapshot), JuryFileSection("Photos", (str(len(photos)),))]

        @hookimpl
        def clea_journey_event(self, decision: Decision, organisation: str, enqueue: TaskEnqueuer) -> None:
            if decision.kind is DecisionKind.SUBMITTED:
                enqueue("clea_branch_demo.tasks.archive", [organisation, decision.at.isoformat()])

    caller = build_host({"demo": Demo(make_package())}, entry_points=False).branch_caller(frozenset({"demo"}), 1)
    titles = [(s.title, s.lines) for s in caller.jury_file_sections(sample_snapshot(referential))]
    assert titles == [("Démonstration", ("Pièces jointes : 2.",)), ("Photos", ("1",))]
    enqueue = RecordingEnqueuer()
    for decision in sample_decisions(referential):
        caller.journey_event(decision, "greta-exemple", enqueue)
    assert enqueue.tasks == [("clea_branch_demo.tasks.archive", ("greta-exemple", "2026-03-02T09:30:00+00:00"), {})]
    submitted = next(d for d in sample_decisions(referential) if d.kind is DecisionKind.SUBMITTED)
    refused = re.escape("cannot enqueue 'clea_branch_demo.tasks.archive': no decision")
    with pytest.raises(Exception, match=refused) as raised:
        caller.journey_event(submitted, "greta-exemple")  # no outbox outside a decision's transaction
    assert isinstance(raised.value.__cause__, NoOutbox)


def test_a_package_not_named_clea_branch_is_refused() -> None:
    with pytest.raises(ValueError, match="a branch package is named clea_branch_<code>"):
        DeclarativeBranch("agriculture_hooks")


def test_plan_is_none_for_an_unsupported_referential(make_package: MakeBranch) -> None:
    plugin = DeclarativeBranch(make_package())
    assert plugin.clea_evaluation_plan(load_shipped("clea-numerique.yaml"), sample_profile(), date(2026, 3, 2)) is None
