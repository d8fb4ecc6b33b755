"""The demo's prescribers: France Travail and an employer, referrals at every stage, results back."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user

from clea.certification.demo import seed_jury
from clea.kernel.prescribers import Stage
from clea.prescribers.demo import STORIES, seed_prescribers
from clea.prescribers.models import Notification, Referral
from clea_tenants.schemas import use_public_schema

pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


def test_demo_prescribers_have_a_referral_at_every_stage(db: None, org_a: Any) -> None:
    with schema_context(org_a.schema_name):
        make_user(org_a.schema_name, "counsellor")
        make_user(org_a.schema_name, "trainer")
    seed_jury("demo-password-123", organisation_slug=org_a.slug)
    use_public_schema()
    logins = seed_prescribers("demo-password-123", organisation_slug=org_a.slug)
    use_public_schema()
    assert [name for _, name in logins] == ["France Travail Lyon Part-Dieu", "Bâtiments du Rhône SA"]
    for login, _ in logins:
        stages = sorted(Referral.objects.filter(created_by__username=login).values_list("stage", flat=True))
        assert stages == sorted(story for story, _, _ in STORIES)
        assert set(stages) == {stage.value for stage in Stage}
    certified = Referral.objects.filter(stage="certified")
    assert all(r.certificate_number for r in certified)
    assert all(r.attestation_pdf for r in Referral.objects.filter(stage__in=["not_certified", "withdrawn"]))
    assert Notification.objects.filter(referral__stage="certified").count() == 2
    assert seed_prescribers("demo-password-123", organisation_slug=org_a.slug) == logins  # idempotent
