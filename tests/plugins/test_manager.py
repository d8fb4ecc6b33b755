"""Start-up validation and per-tenant dispatch of the plugin manager."""

from __future__ import annotations

import pytest

from clea.kernel.errors import DomainError
from clea.kernel.referential import Referential
from clea_plugins import PluginError, PluginLoadError
from clea_plugins.hookspecs import HOOK_NAMES
from clea_plugins.manager import BLOCKED_ENV, PluginHost, branch_caller, build_host, get_host, set_host
from clea_plugins.testkit import sample_decisions, sample_objectives, sample_snapshot

from . import sample_plugins
from .conftest import BRANCHES, FakeDist

GOOD = """
from clea_plugins import BranchIdentity, hookimpl

@hookimpl
def clea_branch_identity():
    return BranchIdentity("{code}", "Test", "0.1.0", "Test plugin.", "t@example.org")

@hookimpl
def clea_evaluation_modalities(referential):
    return []
"""


# -------------------------------------------------------------------------------------------------
# Start-up: loading from entry points, and refusing broken plugins with one clear error
# -------------------------------------------------------------------------------------------------


def test_start_up_loads_the_installed_branches(installed_host: PluginHost) -> None:
    assert set(BRANCHES) <= installed_host.codes
    assert installed_host.distributions["btp"] == "clea-branch-btp"
    installed_host.pm.check_pending()
    assert {name for name, _ in installed_host.pm.list_name_plugin()} >= set(BRANCHES)


def test_an_extra_well_formed_distribution_is_loaded(fake_distribution: FakeDist) -> None:
    fake_distribution("clea-branch-extra", "extra", GOOD.format(code="extra"))
    host = build_host()
    assert "extra" in host.codes and host.distributions["extra"] == "clea-branch-extra"


def test_a_plugin_that_cannot_be_imported_stops_start_up(fake_distribution: FakeDist) -> None:
    fake_distribution("clea-branch-broken", "broken", "import clea_module_that_does_not_exist\n")
    with pytest.raises(PluginLoadError) as raised:
        build_host()
    message = str(raised.value)
    assert raised.value.plugins == ("broken",)
    assert "'broken' (distribution clea-branch-broken): cannot be imported" in message
    assert "ModuleNotFoundError" in message and "clea_module_that_does_not_exist" in message
    assert message.count("\n  - ") == 1  # one problem, one line; the good branches are not blamed


def test_a_misspelled_hook_stops_start_up(fake_distribution: FakeDist) -> None:
    source = GOOD.format(code="typo") + "\n@hookimpl\ndef clea_evaluation_modalites(referential):\n    return []\n"
    fake_distribution("clea-branch-typo", "typo", source)
    with pytest.raises(PluginLoadError) as raised:
        build_host()
    assert raised.value.plugins == ("typo",)
    assert (
        "'typo' (distribution clea-branch-typo): implements unknown hook 'clea_evaluation_modalites'; "
        "did you mean clea_evaluation_modalities?" in str(raised.value)
    )


def test_a_wrong_signature_stops_start_up(fake_distribution: FakeDist) -> None:
    source = (
        GOOD.format(code="sig") + "\n@hookimpl\ndef clea_journey_event(decision, organisation, tenant):\n    pass\n"
    )
    fake_distribution("clea-branch-sig", "sig", source)
    with pytest.raises(PluginLoadError) as raised:
        build_host()
    message = str(raised.value)
    assert raised.value.plugins == ("sig",)
    assert "'sig' (distribution clea-branch-sig): wrong hook signature" in message
    assert "hookspec: clea_journey_event(decision, organisation, enqueue)" in message and "tenant" in message


def test_several_broken_plugins_give_one_error_listing_each(fake_distribution: FakeDist) -> None:
    fake_distribution("clea-branch-broken", "broken", "raise RuntimeError('boom at import')\n")
    fake_distribution("clea-branch-anon", "anon", "from clea_plugins import hookimpl\n")
    with pytest.raises(PluginLoadError) as raised:
        build_host()
    assert set(raised.value.plugins) == {"broken", "anon"}
    assert "2 CléA branch plugin(s) cannot be loaded" in str(raised.value)
    assert "does not implement required hook clea_branch_identity()" in str(raised.value)


def test_a_duplicate_entry_point_name_stops_start_up(fake_distribution: FakeDist) -> None:
    fake_distribution("clea-branch-btp-fork", "btp", GOOD.format(code="btp"))
    with pytest.raises(PluginLoadError, match="entry-point name also declared by"):
        build_host()


def test_an_operator_can_block_a_broken_plugin(fake_distribution: FakeDist, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_distribution("clea-branch-broken", "broken", "raise RuntimeError('boom')\n")
    monkeypatch.setenv(BLOCKED_ENV, "broken")
    assert "broken" not in get_host().codes


@pytest.mark.parametrize(
    ("plugin", "expected"),
    [
        (
            sample_plugins.Misspelled("typo"),
            "implements unknown hook 'clea_training_ofer'; did you mean clea_training_offer?",
        ),
        (
            sample_plugins.WrongSignature("sig"),
            "wrong hook signature (hookspec: clea_training_offer(referential, objectives))",
        ),
        (sample_plugins.NoIdentity(), "does not implement required hook clea_branch_identity()"),
        (sample_plugins.Wrapper("wrap"), "declared as a wrapper"),
        (sample_plugins.Minimal("other"), "identity code 'other' differs from the entry-point name"),
    ],
)
def test_programmatic_registration_is_validated_like_entry_points(plugin: object, expected: str) -> None:
    name = getattr(plugin, "code", "noid")
    name = "mismatch" if name == "other" else name
    with pytest.raises(PluginLoadError) as raised:
        build_host({name: plugin}, entry_points=False)
    assert raised.value.plugins == (name,)
    assert expected in str(raised.value)


# -------------------------------------------------------------------------------------------------
# Dispatch per tenant
# -------------------------------------------------------------------------------------------------


def test_an_organisation_accredited_for_btp_only_sees_btp(installed_host: PluginHost, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset({"btp"}), 1)
    assert {m.branch for m in caller.evaluation_modalities(referential)} == {"btp"}
    assert [i.code for i in caller.identities()] == ["btp"]
    assert {o.branch for o in caller.training_offer(referential, sample_objectives(referential))} == {"btp"}
    assert {s.branch for s in caller.jury_file_sections(sample_snapshot(referential))} == {"btp"}
    for decision in sample_decisions(referential):
        caller.journey_event(decision, "org-btp")  # only btp's reaction runs


def test_two_accreditations_see_both_and_nothing_else(installed_host: PluginHost, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset({"btp", "proprete"}), 1)
    modalities = caller.evaluation_modalities(referential)
    assert {m.branch for m in modalities} == {"btp", "proprete"}
    alone = [
        installed_host.branch_caller(frozenset({code}), 1).evaluation_modalities(referential)
        for code in ("btp", "proprete")
    ]
    assert sorted(modalities, key=repr) == sorted(alone[0] + alone[1], key=repr)


def test_no_accreditation_sees_nothing(installed_host: PluginHost, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset(), 1)
    assert caller.evaluation_modalities(referential) == []
    assert caller.identities() == []


def test_a_branch_outside_the_accreditations_is_refused(installed_host: PluginHost, referential: Referential) -> None:
    caller = installed_host.branch_caller(frozenset({"btp"}), 1)
    with pytest.raises(DomainError) as raised:
        caller.for_branch("proprete")
    assert raised.value.code == "branch_not_accredited" and raised.value.rule == "R3"
    assert "proprete" in raised.value.message_fr


def test_an_accredited_branch_not_installed_is_ignored_not_fatal(installed_host: PluginHost) -> None:
    caller = installed_host.branch_caller(frozenset({"btp", "ghost"}), 1)
    assert caller.branches == {"btp"} and caller.missing == {"ghost"}


def test_callers_are_cached_and_refreshed_when_the_version_changes(installed_host: PluginHost) -> None:
    host = build_host()
    first = host.branch_caller(frozenset({"btp"}), 7)
    assert host.branch_caller(frozenset({"btp"}), 7) is first
    assert host.cache_misses == 1
    refreshed = host.branch_caller(frozenset({"btp", "proprete"}), 8)  # accreditation changed: version bumped
    assert refreshed is not first and refreshed.branches == {"btp", "proprete"}
    assert host.branch_caller(frozenset({"btp"}), 8) is not first
    assert host.cache_misses == 3


def test_the_process_wide_host_is_built_once(installed_host: PluginHost) -> None:
    set_host(None)
    assert get_host() is get_host()
    assert branch_caller(frozenset({"btp"}), 1) is get_host().branch_caller(frozenset({"btp"}), 1)
    host = build_host({"solo": sample_plugins.Minimal("solo")}, entry_points=False)
    set_host(host)
    assert branch_caller(frozenset({"solo", "btp"}), 1).branches == {"solo"}


# -------------------------------------------------------------------------------------------------
# A hook that raises: PluginError naming the plugin
# -------------------------------------------------------------------------------------------------


def test_a_hook_that_raises_becomes_plugin_error_naming_the_plugin(referential: Referential) -> None:
    import clea_branch_btp.hooks

    plugins = {"btp": clea_branch_btp.hooks.plugin, "faulty": sample_plugins.Raising("faulty")}
    host = build_host(plugins, entry_points=False)
    caller = host.branch_caller(frozenset({"btp", "faulty"}), 1)
    with pytest.raises(PluginError) as raised:
        caller.training_offer(referential, sample_objectives(referential))
    error = raised.value
    assert (error.plugin_name, error.hook_name) == ("faulty", "clea_training_offer")
    assert isinstance(error.original, ZeroDivisionError) and error.__cause__ is error.original
    assert str(error) == (
        "branch plugin 'faulty' failed in hook clea_training_offer: ZeroDivisionError: hours per criterion is zero"
    )
    assert error.as_dict()["plugin"] == "faulty" and error.as_dict()["code"] == "plugin_error"
    # the tenant not accredited for the faulty branch never reaches it
    assert host.branch_caller(frozenset({"btp"}), 1).training_offer(referential, sample_objectives(referential))


def test_every_hookimpl_is_guarded(installed_host: PluginHost) -> None:
    for hook_name in HOOK_NAMES:
        for impl in getattr(installed_host.pm.hook, hook_name).get_hookimpls():
            assert getattr(impl.function, "__clea_guarded__", False), (impl.plugin_name, hook_name)
