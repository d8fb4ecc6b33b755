"""The conformance suite every branch plugin runs on itself.

In the branch's tests (the scaffold writes this file)::

    from typing import ClassVar

    import clea_branch_btp.hooks
    from clea_plugins.testkit.conformance import BranchConformance

    class TestConformance(BranchConformance):
        code = "btp"
        plugin: ClassVar[object] = clea_branch_btp.hooks.plugin   # what the entry point names

It checks, on the default CléA referential: the plugin loads as at start-up (no misspelled hook, no wrong
signature, identity present); the identity is well formed; modalities use real sub-domain codes, allowed
methods, sane durations, and cover every sub-domain not declared in ``not_covered``; the plan covers every
covered sub-domain within the daily cap; a correct evaluation passes ``clea_validate_evaluation`` and a
deliberately wrong one gets issues; no hook raises on sample inputs; every hook returns its declared types;
importing the plugin does not import Django.

Override :meth:`BranchConformance.wrong_evaluation` to feed a branch-specific wrong evaluation.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from types import ModuleType
from typing import ClassVar

import pluggy
import pytest

from clea.kernel.journey import Objective
from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential, default_referential, load_shipped
from clea_plugins.hookspecs import HOOK_NAMES
from clea_plugins.manager import BranchCaller, PluginHost, build_host, validate_plugin
from clea_plugins.testkit.fakes import RecordingEnqueuer
from clea_plugins.testkit.samples import (
    SAMPLE_ORGANISATION,
    SAMPLE_START,
    sample_decisions,
    sample_evaluation,
    sample_objectives,
    sample_profile,
    sample_snapshot,
    used_modalities,
)
from clea_plugins.types import (
    BRANCH_CODE,
    BranchIdentity,
    EvaluationPlan,
    JuryFileSection,
    Method,
    Modality,
    Severity,
    TrainingOffer,
    ValidationIssue,
)

VERSION = re.compile(r"^\d+\.\d+(\.\d+)?([.-]?\w+)?$")


def holding_module(plugin: object) -> str | None:
    """The module an entry point would import for ``plugin``: the plugin itself, or the module holding it."""
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    for name, module in list(sys.modules.items()):
        parts = name.split(".")
        if name == "__main__" or any(part.startswith(("test", "conftest")) for part in parts):
            continue  # the branch's own tests hold the plugin too
        if isinstance(module, ModuleType) and any(value is plugin for value in vars(module).values()):
            return name
    return None


class BranchConformance:
    """Base class (not collected itself): subclass it as ``TestConformance`` with ``code`` and ``plugin``."""

    code: ClassVar[str]
    plugin: ClassVar[object]

    # ---- fixtures --------------------------------------------------------------------------------

    @pytest.fixture
    def host(self) -> PluginHost:
        return build_host({self.code: self.plugin}, entry_points=False)

    @pytest.fixture
    def plugin_manager(self, host: PluginHost) -> pluggy.PluginManager:
        return host.pm

    @pytest.fixture
    def caller(self, host: PluginHost) -> BranchCaller:
        return host.branch_caller(frozenset({self.code}), 1)

    @pytest.fixture
    def referential(self) -> Referential:
        return default_referential()

    @pytest.fixture
    def identity(self, host: PluginHost) -> BranchIdentity:
        return host.identities()[self.code]

    @pytest.fixture
    def modalities(self, caller: BranchCaller, referential: Referential) -> list[Modality]:
        return caller.evaluation_modalities(referential)

    # ---- overridable inputs ----------------------------------------------------------------------

    def wrong_evaluation(
        self, referential: Referential, modalities: list[Modality]
    ) -> tuple[Evaluation, tuple[Modality, ...]]:
        """An evaluation the branch must flag: every criterion assessed, but no modality declared."""
        return sample_evaluation(referential), ()

    # ---- loading and identity --------------------------------------------------------------------

    def test_plugin_loads_like_at_start_up(self, plugin_manager: pluggy.PluginManager) -> None:
        assert validate_plugin(self.code, self.plugin) == []
        plugin_manager.check_pending()
        implemented = {hook for hook in HOOK_NAMES if getattr(plugin_manager.hook, hook).get_hookimpls()}
        assert "clea_branch_identity" in implemented
        assert "clea_evaluation_modalities" in implemented

    def test_identity_is_well_formed(self, identity: BranchIdentity, referential: Referential) -> None:
        assert isinstance(identity, BranchIdentity)
        assert identity.code == self.code and BRANCH_CODE.match(identity.code)
        assert identity.name.strip() and identity.description.strip()
        assert VERSION.match(identity.version), identity.version
        assert "@" in identity.contact, "contact: an e-mail address of the branch's referent"
        assert isinstance(identity.not_covered, tuple)
        unknown = set(identity.not_covered) - set(referential.subdomains_by_code)
        assert not unknown, f"not_covered names unknown sub-domains: {sorted(unknown)}"

    # ---- modalities ------------------------------------------------------------------------------

    def test_modalities_have_declared_types(self, modalities: list[Modality]) -> None:
        assert isinstance(modalities, list) and modalities
        for modality in modalities:
            assert isinstance(modality, Modality), modality
            assert modality.branch == self.code, (
                f"modality {modality.key}: branch {modality.branch!r} differs from the plugin's code {self.code!r} "
                "(the 'branch:' key of the data file, or Modality.branch)"
            )
            assert isinstance(modality.method, Method), f"{modality.key}: method must be a Method"
            assert isinstance(modality.scenarios, tuple) and modality.scenarios, modality.key
            assert all(isinstance(s, str) and s.strip() for s in modality.scenarios), modality.key
            assert isinstance(modality.duration_minutes, int) and 0 < modality.duration_minutes <= 480, modality.key
            assert isinstance(modality.group_size, int) and 1 <= modality.group_size <= 30, modality.key
            assert isinstance(modality.on_site, bool), modality.key

    def test_modalities_reference_real_subdomains(self, modalities: list[Modality], referential: Referential) -> None:
        unknown = sorted({m.subdomain for m in modalities} - set(referential.subdomains_by_code))
        assert not unknown, f"modalities name sub-domains absent from {referential.identity}: {unknown}"

    def test_modalities_cover_every_subdomain_or_declare_it(
        self, modalities: list[Modality], identity: BranchIdentity, referential: Referential
    ) -> None:
        every = set(referential.subdomains_by_code)
        covered = {m.subdomain for m in modalities}
        declared = set(identity.not_covered)
        missing = sorted(every - covered - declared)
        assert not missing, f"no modality for sub-domains {missing}: add one or list them in not_covered"
        both = sorted(covered & declared)
        assert not both, f"sub-domains both covered and declared not covered: {both}"

    def test_modalities_for_another_referential_do_not_raise(self, caller: BranchCaller) -> None:
        other = load_shipped("clea-numerique.yaml")
        modalities = caller.evaluation_modalities(other)
        assert all(m.subdomain in other.subdomains_by_code for m in modalities)

    # ---- planning --------------------------------------------------------------------------------

    @pytest.mark.parametrize("max_minutes", [360, 120])
    def test_plan_covers_every_subdomain(
        self, caller: BranchCaller, referential: Referential, modalities: list[Modality], max_minutes: int
    ) -> None:
        profile = sample_profile(max_minutes_per_day=max_minutes)
        plan = caller.evaluation_plan(referential, profile, SAMPLE_START, branch=self.code)
        assert isinstance(plan, EvaluationPlan)
        assert plan.branch == self.code and plan.referential_id == referential.identity
        assert plan.days and all(day.on >= SAMPLE_START for day in plan.days)
        assert list(plan.days) == sorted(plan.days, key=lambda day: day.on)
        assert plan.subdomains == {m.subdomain for m in modalities}
        declared = set(modalities)
        for day in plan.days:
            assert all(m in declared for m in day.modalities), "the plan uses modalities the branch did not declare"
            assert day.minutes <= max_minutes or len(day.modalities) == 1, f"{day.on}: {day.minutes} min"

    # ---- validation ------------------------------------------------------------------------------

    def test_validate_accepts_a_correct_evaluation(
        self, caller: BranchCaller, referential: Referential, modalities: list[Modality]
    ) -> None:
        evaluation = sample_evaluation(referential, subdomains=sorted({m.subdomain for m in modalities}))
        used = used_modalities(evaluation, referential, modalities)
        issues = caller.validate_evaluation(referential, evaluation, used)
        assert isinstance(issues, list)
        assert all(isinstance(issue, ValidationIssue) for issue in issues)
        errors = [issue for issue in issues if issue.severity is Severity.ERROR]
        assert not errors, errors

    def test_validate_flags_a_wrong_evaluation(
        self, caller: BranchCaller, referential: Referential, modalities: list[Modality]
    ) -> None:
        evaluation, used = self.wrong_evaluation(referential, modalities)
        issues = caller.validate_evaluation(referential, evaluation, used)
        assert any(issue.severity is Severity.ERROR for issue in issues), "a wrong evaluation passed"
        for issue in issues:
            assert isinstance(issue, ValidationIssue) and issue.branch == self.code
            assert issue.code.strip() and issue.message_fr.strip() and issue.message_en.strip()

    def test_validate_flags_another_referential_version(
        self, caller: BranchCaller, referential: Referential, modalities: list[Modality]
    ) -> None:
        evaluation = sample_evaluation(referential, referential_id="CLEA@0000000000000000")
        used = used_modalities(evaluation, referential, modalities)
        issues = caller.validate_evaluation(referential, evaluation, used)
        assert any(issue.severity is Severity.ERROR for issue in issues)

    # ---- training, jury, journey -----------------------------------------------------------------

    def test_training_offer_answers_the_objectives(self, caller: BranchCaller, referential: Referential) -> None:
        objectives = sample_objectives(referential)
        offers = caller.training_offer(referential, objectives)
        assert isinstance(offers, list)
        wanted = {objective.subdomain for objective in objectives}
        for offer in offers:
            assert isinstance(offer, TrainingOffer) and offer.branch == self.code
            assert offer.subdomain in wanted, f"offer for {offer.subdomain}, not an objective"
            assert isinstance(offer.hours, int) and offer.hours > 0
            assert offer.title.strip() and offer.provider_hint.strip()
        assert caller.training_offer(referential, ()) == []
        single: tuple[Objective, ...] = objectives[:1]
        assert {o.subdomain for o in caller.training_offer(referential, single)} <= {single[0].subdomain}

    def test_jury_file_sections_have_declared_types(self, caller: BranchCaller, referential: Referential) -> None:
        sections = caller.jury_file_sections(sample_snapshot(referential))
        assert isinstance(sections, list)
        for section in sections:
            assert isinstance(section, JuryFileSection) and section.title.strip()
            assert isinstance(section.lines, tuple) and all(isinstance(line, str) for line in section.lines)

    def test_journey_events_do_not_raise(self, caller: BranchCaller, referential: Referential) -> None:
        enqueue = RecordingEnqueuer()
        for decision in sample_decisions(referential):
            answers = caller.hook.clea_journey_event(
                decision=decision, organisation=SAMPLE_ORGANISATION, enqueue=enqueue
            )
            assert answers == []
        for task_name, args, kwargs in enqueue.tasks:
            assert task_name.strip() and isinstance(args, tuple) and isinstance(kwargs, dict)

    # ---- packaging -------------------------------------------------------------------------------

    def test_importing_the_plugin_does_not_import_django(self) -> None:
        module = holding_module(self.plugin)
        if module is None:
            pytest.skip("plugin is neither a module nor an object of an imported module")
        code = f"import sys, {module}; sys.exit(1 if 'django' in sys.modules else 0)"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"importing {module} imports Django (or fails): {done.stderr[-2000:]}"

