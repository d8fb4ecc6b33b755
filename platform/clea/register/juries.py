"""Juries and their members from the back office (R11: paritaire; members linked to register entries).

One transaction per change, with its entry in the public audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from clea.audit.trail import append
from clea.certification.models import Jury, JuryMember
from clea.certification.sessions import kernel_member
from clea.kernel import jury as kernel
from clea_tenants.models import Branch, Organisation, TrainingBody


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def create_member(
    first_name: str,
    last_name: str,
    college: str,
    organisation_of_origin: str = "",
    email: str = "",
    organisations: Iterable[Organisation] = (),
    bodies: Iterable[TrainingBody] = (),
    user: Any = None,
) -> JuryMember:
    with transaction.atomic():
        member = JuryMember.objects.create(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            college=college,
            organisation_of_origin=organisation_of_origin.strip(),
            email=email.strip(),
        )
        member.organisations.set(list(organisations))
        member.training_bodies.set(list(bodies))
        append(
            "register.jury_member.created",
            actor=_actor(user),
            object_ref=f"jury-member:{member.pk}",
            detail={
                "college": college,
                "organisations": sorted(o.slug for o in member.organisations.all()),
                "training_bodies": sorted(b.identity for b in member.training_bodies.all()),
            },
        )
    return member


def create_jury(name: str, region: str, branch: Branch | None, members: Iterable[JuryMember], user: Any = None) -> Jury:
    """A paritaire jury (R11: as many employers as employees, at least one each)."""
    members = list(members)
    kernel.check_composition([kernel_member(m) for m in members])
    with transaction.atomic():
        jury = Jury.objects.create(name=name.strip(), region=region, branch=branch)
        jury.members.set(members)
        append(
            "register.jury.created",
            actor=_actor(user),
            object_ref=f"jury:{jury.pk}",
            detail={"name": jury.name, "members": sorted(m.pk for m in members)},
        )
    return jury


def update_member_links(
    member: JuryMember,
    organisations: Iterable[Organisation],
    bodies: Iterable[TrainingBody],
    active: bool,
    user: Any = None,
) -> JuryMember:
    """The organisations and training bodies the member is linked to (R11), and whether they still sit."""
    with transaction.atomic():
        member.organisations.set(list(organisations))
        member.training_bodies.set(list(bodies))
        member.active = active
        member.save(update_fields=["active"])
        append(
            "register.jury_member.updated",
            actor=_actor(user),
            object_ref=f"jury-member:{member.pk}",
            detail={
                "active": active,
                "organisations": sorted(o.slug for o in member.organisations.all()),
                "training_bodies": sorted(b.identity for b in member.training_bodies.all()),
            },
        )
    return member
