"""Demo data: the federation admin and three evaluating organisations, idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from clea.accounts.roles import FEDERATION_ROLES, Role, ensure_role_groups
from clea_tenants.models import Organisation
from clea_tenants.provisioning import provision_organisation
from clea_tenants.regions import Region
from clea_tenants.template import prepare_tenant_template

DEMO_PASSWORD = "clea-demo-2025"
FEDERATION_ADMIN = "federation@clea.example"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    siret: str
    region: str

    @property
    def admin_email(self) -> str:
        return f"admin@{self.slug}.example"


DEMO_ORGANISATIONS = (
    DemoOrganisation("greta-lyon", "GRETA Lyon Métropole", "13000123400017", Region.AUVERGNE_RHONE_ALPES),
    DemoOrganisation("afpa-lille", "AFPA Lille", "13000567800011", Region.HAUTS_DE_FRANCE),
    DemoOrganisation("cfa-rennes", "CFA Rennes Bretagne", "13000901200019", Region.BRETAGNE),
)


def migrate_everything(verbosity: int = 0) -> None:
    """Shared schema, existing tenants, then the template."""
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
    if Organisation.objects.exists():
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
    prepare_tenant_template(verbosity=verbosity)


def ensure_federation_admin(email: str = FEDERATION_ADMIN, password: str = DEMO_PASSWORD) -> None:
    with schema_context("public"):
        ensure_role_groups(FEDERATION_ROLES)
        user_model = get_user_model()
        if not user_model.objects.filter(username=email).exists():
            user = user_model(username=email, email=email, role=Role.FEDERATION_ADMIN)
            user.set_password(password)
            user.save()


def ensure_organisation(demo: DemoOrganisation) -> Organisation:
    existing: Organisation | None = Organisation.objects.filter(slug=demo.slug).first()
    if existing is not None:
        return existing
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
    from clea.journey.demo import seed_journeys as seed

    with tenant_context(organisation):  # connection.tenant is the Organisation itself, not a FakeTenant
        return seed(organisation.schema_name, DEMO_PASSWORD)
