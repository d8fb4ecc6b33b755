"""Dashboard test fixtures: three organisations of their own (regions and branches differ), committed once."""

from __future__ import annotations

import random
from typing import Any

import pytest
from tests.dashboards.journeys import Plan, at, provision, publish_all, walk
from tests.tasks.conftest import (  # noqa: F401  - a real worker, as in the task tests
    committed,
    mailbox,
    media_root,
    task_database,
    worker_factory,
)
from tests.web.conftest import browser, new_page, web_client_for  # noqa: F401  - chromium and web clients

from clea.dashboards.models import RolledFile, Rollup
from clea.facts.models import JourneyFact
from clea.kernel.journey import PrescriberType

ORGS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("dash-nord", "6666666600001", "32", ("btp",)),
    ("dash-sud", "7777777700001", "76", ("proprete",)),
    ("dash-ouest", "8888888800001", "53", ("btp", "proprete")),
)


@pytest.fixture(scope="session")
def dash_orgs(tenant_template: None, django_db_blocker: Any) -> list[Any]:
    with django_db_blocker.unblock():
        return [provision(slug, siret, region, branches) for slug, siret, region, branches in ORGS]


PLANS: list[tuple[int, Plan]] = [
    # (organisation index, plan)
    (0, Plan("Zéphyrine", "Quastorvian", at(2025, 1, 6))),  # straight to the jury, certified
    (0, Plan("Aldegonde", "Verbruggen", at(2025, 1, 20), gaps=frozenset({"3.1"}))),  # path, certified
    (0, Plan("Ysolde", "Karamazian", at(2025, 2, 3), gaps=frozenset({"3.1", "7.2"}), outcome="refused")),
    (0, Plan("Théodric", "Mallorquin", at(2025, 3, 3), until="initial", gaps=frozenset({"1.1"}))),
    (1, Plan("Bénigne", "Ostrowska", at(2025, 1, 13), prescriber=PrescriberType.EMPLOYER)),
    (1, Plan("Cunégonde", "Pellerinot", at(2025, 2, 10), gaps=frozenset({"7.2"}), prescriber=None)),
    (1, Plan("Eudoxie", "Ravanelli", at(2025, 3, 10), until="opened", withdraw=True)),
    (
        1,
        Plan(
            "Fulbert",
            "Szymanowsky",
            at(2025, 4, 7),
            until="referred",
            prescriber=PrescriberType.OPCO,
            withdraw=True,
            withdraw_reason="unreachable",
        ),
    ),
    (
        2,
        Plan("Gontran", "Vercingeto", at(2025, 2, 17), gaps=frozenset({"3.1", "4.1"}), pace_days=(1, 2, 3, 200, 2, 30)),
    ),
    (2, Plan("Hermeline", "Dufresnoy", at(2025, 5, 5), until="submitted", prescriber=PrescriberType.REGION)),
    (2, Plan("Ignace", "Lombardeau", at(2025, 6, 2), until="path", gaps=frozenset({"2.1"}))),
]


@pytest.fixture
def journeys(db: None, dash_orgs: list[Any]) -> list[Any]:
    """The journeys above, their facts published (in a shuffled order, twice), nothing else in the facts."""
    JourneyFact.objects.all().delete()  # facts of other tests' organisations (rolled back afterwards)
    Rollup.objects.all().delete()
    RolledFile.objects.all().delete()
    for index, plan in PLANS:
        walk(dash_orgs[index], plan)
    shuffle = random.Random(7).shuffle
    for org in dash_orgs:
        publish_all(org.schema_name, shuffle)
        publish_all(org.schema_name, shuffle)  # a second delivery of every fact changes nothing
    return dash_orgs
