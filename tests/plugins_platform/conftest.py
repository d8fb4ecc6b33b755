"""Fixtures of the platform-integration tests of branch plugins (org A: btp, org B: proprete; see tests/fixtures)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user
from tests.plugins_platform.fake_plugins import FakeBranch, InstallFake

import clea_branch_btp.hooks
import clea_branch_proprete.hooks
from clea_plugins.manager import PluginHost, build_host, set_host


@pytest.fixture(autouse=True)
def _real_host_afterwards() -> Iterator[None]:
    """A test may install its own plugin host (``set_host``); the next one gets the installed plugins again."""
    yield
    set_host(None)


@pytest.fixture
def counsellor_a(org_a: Any, api_client_for: Callable[..., Any]) -> Any:
    return api_client_for(org_a, "counsellor")


@pytest.fixture
def counsellor_b(org_b: Any, api_client_for: Callable[..., Any]) -> Any:
    return api_client_for(org_b, "counsellor")


@pytest.fixture
def trainer_a(org_a: Any) -> Any:
    return make_user(org_a.schema_name, "trainer")


@pytest.fixture
def install_fake(db: None, org_a: Any) -> InstallFake:
    """``install_fake("faulty", raise_in={...})``: a host with btp, proprete and that fake branch; org A accredited
    for it (rolled back with the test)."""
    from clea_tenants.accreditations import grant, sync_branches

    def install(
        code: str, *, raise_in: tuple[str, ...] = (), raise_on_kinds: tuple[str, ...] = (), enqueue_task: str = ""
    ) -> FakeBranch:
        fake = FakeBranch(code, frozenset(raise_in), frozenset(raise_on_kinds), enqueue_task)
        host: PluginHost = build_host(
            {"btp": clea_branch_btp.hooks.plugin, "proprete": clea_branch_proprete.hooks.plugin, code: fake},
            entry_points=False,
        )
        set_host(host)
        sync_branches(host)
        grant(org_a, code, host=host)
        return fake

    return install


JOURNEY_TABLES = (
    "Candidate",
    "CandidateFileRecord",
    "EvaluationRecord",
    "CriterionResultRecord",
    "TrainingPathRecord",
    "DecisionRecord",
    "Evidence",
)


@pytest.fixture
def row_counts() -> Callable[[Any], dict[str, int]]:
    """Row counts of the journey tables of an organisation (plus the sum of file versions): proof nothing moved."""

    def count(org: Any) -> dict[str, int]:
        from clea.journey import models

        with schema_context(org.schema_name):
            counts = {name: getattr(models, name).objects.count() for name in JOURNEY_TABLES}
            counts["versions"] = sum(models.CandidateFileRecord.objects.values_list("version", flat=True))
        return counts

    return count
