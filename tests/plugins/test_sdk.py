"""SDK helpers: Django app discovery, the declarative data loader, planning, no Django at import."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from clea.kernel.referential import Referential
from clea_plugins import CandidateProfile, Method, Modality
from clea_plugins.data import BranchDataError, parse_branch_data
from clea_plugins.discovery import DjangoAppDeclarationError, branch_django_apps
from clea_plugins.planning import pack_days

from .conftest import FakeDist

DATA = """
branch: demo
defaults: {duration_minutes: 30, group_size: 1, on_site: false}
modalities:
  - subdomains: ["1.1", "1.2"]
    method: entretien
    scenarios: ["Parler de son métier"]
"""


def test_branch_django_apps_lists_the_btp_app() -> None:
    assert branch_django_apps() == ["clea_branch_btp.observations"]


def test_branch_django_apps_refuses_a_module_attribute_form(fake_distribution: FakeDist) -> None:
    fake_distribution("clea-branch-odd", "odd", "", group="clea.django_apps", value="odd.apps:Config")
    with pytest.raises(DjangoAppDeclarationError, match=r"'odd' in group 'clea\.django_apps' must be a dotted"):
        branch_django_apps()


def test_data_expands_one_modality_per_subdomain() -> None:
    data = parse_branch_data(DATA, "demo.yaml")
    assert [(m.subdomain, m.method, m.duration_minutes) for m in data.modalities] == [
        ("1.1", Method.ENTRETIEN, 30),
        ("1.2", Method.ENTRETIEN, 30),
    ]


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (("entretien", "oral"), "demo.yaml: modalities[0].method: unknown method 'oral' (allowed: mise_en_situation"),
        (("scenarios:", "scenarioz:"), "demo.yaml: modalities[0]: unknown key(s) scenarioz"),
        (
            ("duration_minutes: 30", "duration_minutes: 0"),
            "demo.yaml: modalities[0].duration_minutes: expected a positive whole number, got 0",
        ),
    ],
)
def test_data_errors_name_the_file_and_the_place(mutation: tuple[str, str], message: str) -> None:
    with pytest.raises(BranchDataError) as raised:
        parse_branch_data(DATA.replace(*mutation), "demo.yaml")
    assert str(raised.value).startswith(message)


def test_pack_days_gives_a_long_modality_its_own_day(referential: Referential) -> None:
    long = Modality("1.1", Method.MISE_EN_SITUATION_PROFESSIONNELLE, ("Journée sur chantier",), 400, 1, True, "d")
    short = Modality("1.2", Method.ENTRETIEN, ("Entretien",), 30, 1, False, "d")
    plan = pack_days("d", referential, [short, long], CandidateProfile("c", max_minutes_per_day=300), date(2026, 3, 6))
    assert [(day.on, day.subdomains) for day in plan.days] == [
        (date(2026, 3, 6), ("1.1",)),
        (date(2026, 3, 9), ("1.2",)),
    ]


def test_importing_the_sdk_and_testkit_never_imports_django() -> None:
    code = (
        "import sys, clea_plugins, clea_plugins.manager, clea_plugins.discovery, clea_plugins.scaffold, "
        "clea_plugins.declarative, "
        "clea_plugins.testkit.conformance, clea_plugins.testkit.fixtures; "
        "sys.exit('django' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
