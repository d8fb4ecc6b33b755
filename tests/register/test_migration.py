"""Migration clea_tenants.0003: branch accreditations from before the register become habilitations."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from clea_tenants.models import Accreditation, Establishment, Habilitation, HabilitationEvent

pytestmark = pytest.mark.django_db
migration = importlib.import_module("clea_tenants.migrations.0003_register_from_accreditations")


def test_each_branch_accreditation_becomes_a_habilitation_of_the_head_establishment(org_b: Any) -> None:
    HabilitationEvent.objects.filter(habilitation__establishment__organisation=org_b).delete()
    Habilitation.objects.filter(establishment__organisation=org_b).delete()
    Establishment.objects.filter(organisation=org_b).delete()
    active = Accreditation.objects.get(organisation=org_b, revoked_at__isnull=True)
    revoked = Accreditation.objects.create(
        organisation=org_b,
        branch=active.branch,
        granted_at=timezone.now() - timedelta(days=400),
        revoked_at=timezone.now() - timedelta(days=100),
    )
    migration.forwards(apps, None)
    head = Establishment.objects.get(organisation=org_b)
    assert head.siret == org_b.siret
    kept = Habilitation.objects.get(legacy_accreditation=active)
    assert (kept.establishment, kept.status, kept.programme) == (head, "granted", "clea")
    assert kept.valid_from == active.granted_at.date()
    assert (kept.valid_to - kept.valid_from).days in (1826, 1827)  # five years
    assert not kept.qualiopi_number  # left for the federation to complete
    ended = Habilitation.objects.get(legacy_accreditation=revoked)
    assert ended.status == "withdrawn"
    assert [e.status for e in ended.events.order_by("effective_on")] == ["granted", "withdrawn"]
