"""pytest fixtures for a branch's tests. In the branch's ``tests/conftest.py``::

    import pytest
    import clea_branch_btp.hooks
    from clea_plugins.testkit.fixtures import branch_caller as branch_caller
    from clea_plugins.testkit.fixtures import plugin_manager as plugin_manager
    from clea_plugins.testkit.fixtures import referential as referential

    @pytest.fixture
    def branch_plugin():
        return "btp", clea_branch_btp.hooks

``plugin_manager`` holds only the plugin under test, loaded and validated as at start-up (a broken plugin
fails the fixture with the start-up error).
"""

from __future__ import annotations

import pluggy
import pytest

from clea.kernel.mastery import Evaluation
from clea.kernel.referential import Referential, default_referential
from clea_plugins.manager import BranchCaller, PluginHost, build_host
from clea_plugins.testkit.fakes import FakeReferentialRepository
from clea_plugins.testkit.samples import sample_evaluation


@pytest.fixture
def referential() -> Referential:
    """The default CléA referential shipped with the kernel."""
    return default_referential()


@pytest.fixture
def referential_port() -> FakeReferentialRepository:
    return FakeReferentialRepository()


@pytest.fixture
def plugin_host(branch_plugin: tuple[str, object]) -> PluginHost:
    code, plugin = branch_plugin
    return build_host({code: plugin}, entry_points=False)


@pytest.fixture
def plugin_manager(plugin_host: PluginHost) -> pluggy.PluginManager:
    """A pluggy manager with just the plugin under test (``branch_plugin`` fixture: ``(code, module)``)."""
    return plugin_host.pm


@pytest.fixture
def branch_caller(plugin_host: PluginHost, branch_plugin: tuple[str, object]) -> BranchCaller:
    """The per-tenant caller of an organisation accredited for the plugin under test only."""
    return plugin_host.branch_caller(frozenset({branch_plugin[0]}), 1)


@pytest.fixture
def full_evaluation(referential: Referential) -> Evaluation:
    """Every criterion of the default referential, all acquired."""
    return sample_evaluation(referential)
