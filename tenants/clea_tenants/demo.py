"""Demo data: the federation admin and three evaluating organisations, idempotently."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from clea.accounts.roles import FEDERATION_ROLES, Role, ensure_role_groups
from clea.collective import demo as collective_demo
from clea.journey import demo as journey_demo
from clea.tasks.worker import start_worker
from clea_tenants.accreditations import ensure_accredited, sync_branches
from clea_tenants.models import Organisation
from clea_tenants.provisioning import provision_organisation
from clea_tenants.regions import Region

DEMO_PASSWORD = "clea-demo-2025"
FEDERATION_ADMIN = "federation@clea.example"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    siret: str
    region: str
    branches: tuple[str, ...] = ()  # accreditations granted by the federation (branch plugin codes)

    @property
    def admin_email(self) -> str:
        return f"admin@{self.slug}.example"


DEMO_ORGANISATIONS = (
    DemoOrganisation(
        "greta-lyon", "GRETA Lyon Métropole", "13000123400017", Region.AUVERGNE_RHONE_ALPES, ("btp", "proprete")
    ),
    DemoOrganisation("afpa-lille", "AFPA Lille", "13000567800011", Region.HAUTS_DE_FRANCE, ("transport_logistique",)),
    DemoOrganisation("cfa-rennes", "CFA Rennes Bretagne", "13000901200019", Region.BRETAGNE, ("btp",)),
)


def migrate_everything(verbosity: int = 0) -> None:
    """Shared schema, the branch registry (from the installed plugins), the template, then existing tenants."""
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
    sync_branches()
    # The template, then only the tenant schemas that are behind (the shared schema is current: no-op).
    call_command("upgrade_schemas", workers=1, verbosity=verbosity)


def ensure_federation_admin(email: str = FEDERATION_ADMIN, password: str = DEMO_PASSWORD) -> None:
    with schema_context("public"):
        ensure_role_groups(FEDERATION_ROLES)
        user_model = get_user_model()
        if not user_model.objects.filter(username=email).exists():
            user = user_model(username=email, email=email, role=Role.FEDERATION_ADMIN)
            user.set_password(password)
            user.save()


def ensure_organisation(demo: DemoOrganisation) -> Organisation:
    """The demo organisation, provisioned if missing, accredited for its branches."""
    organisation: Organisation | None = Organisation.objects.filter(slug=demo.slug).first()
    if organisation is None:
        organisation = _provision(demo)
    ensure_accredited(organisation, demo.branches)
    return organisation


def _provision(demo: DemoOrganisation) -> Organisation:
    return provision_organisation(
        name=demo.name,
        slug=demo.slug,
        siret=demo.siret,
        region=demo.region,
        contact_email=f"contact@{demo.slug}.example",
        admin_email=demo.admin_email,
        admin_password=DEMO_PASSWORD,
    )


def seed_journeys(organisation: Organisation) -> list[tuple[str, str]]:
    """Candidates, files and journeys of the demo, in the organisation's schema; returns its demo logins."""
    with tenant_context(organisation):  # connection.tenant is the Organisation itself, not a FakeTenant
        logins = journey_demo.seed_journeys(organisation.schema_name, DEMO_PASSWORD)
        collective_demo.seed_sessions(logins[0][0], logins[1][0])  # issue 13: yesterday's and next week's sessions
        return logins


def start_demo_worker(say: Callable[[str], None] = print) -> subprocess.Popen[bytes]:
    """A real Celery worker (with the beat scheduler) beside the demo server, logging to var/celery/worker.log.

    Its broker is ``CELERY_BROKER_URL`` when set, else the ``dev`` settings' filesystem queue under var/.
    """
    log = Path(settings.VAR_DIR) / "celery" / "worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {"DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "clea.settings.dev")}
    process = start_worker(env=env, log_path=log, name="demo", concurrency=2, beat=True)
    broker = settings.CELERY_BROKER_URL.split("@")[-1]
    say(f"  Celery worker + beat (pid {process.pid}) on {broker}; log: {log}")
    return process
