"""Departments and postcodes: where an evaluating organisation has an establishment accredited for CléA.

The register (``clea_tenants`` ``Establishment`` and ``Habilitation``) places each establishment by its
postcode, department and region. :func:`organisations_near` keeps the organisations having an establishment
there whose CléA habilitation is in force today; :func:`establishments_in_force` lists those establishments
(their address is what the prescriber sees). "In force" is the register's own query
(``clea.register.services.valid_on``: granted, within its window, Qualiopi certificate valid); the register is
a sibling layer, so the same filter is written here on the shared models, and a test checks both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from clea_tenants.models import Establishment, Habilitation, HabilitationStatus, Programme

# INSEE region code -> its departments (2024 geography, 101 departments).
DEPARTMENTS_BY_REGION: dict[str, tuple[str, ...]] = {
    "84": ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),
    "27": ("21", "25", "39", "58", "70", "71", "89", "90"),
    "53": ("22", "29", "35", "56"),
    "24": ("18", "28", "36", "37", "41", "45"),
    "94": ("2A", "2B"),
    "44": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),
    "32": ("02", "59", "60", "62", "80"),
    "11": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "28": ("14", "27", "50", "61", "76"),
    "75": ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),
    "76": ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),
    "52": ("44", "49", "53", "72", "85"),
    "93": ("04", "05", "06", "13", "83", "84"),
    "01": ("971",),
    "02": ("972",),
    "03": ("973",),
    "04": ("974",),
    "06": ("976",),
}
REGION_OF_DEPARTMENT: dict[str, str] = {
    department: region for region, departments in DEPARTMENTS_BY_REGION.items() for department in departments
}


def department_of_postcode(postcode: str) -> str | None:
    """``75011`` -> ``75``, ``97411`` -> ``974``, ``20000`` -> ``2A``; ``None`` when it is not a French postcode."""
    code = postcode.strip()
    if len(code) != 5 or not code.isdigit():
        return None
    if code.startswith("97"):
        department = code[:3]
    elif code.startswith("20"):
        department = "2A" if code[:3] in {"200", "201"} else "2B"
    else:
        department = code[:2]
    return department if department in REGION_OF_DEPARTMENT else None


def habilitations_in_force(day: date | None = None) -> QuerySet[Habilitation]:
    """CléA habilitations granted, within their window and with a valid Qualiopi certificate on ``day``."""
    day = day or timezone.localdate()
    return Habilitation.objects.filter(
        programme=Programme.CLEA, status=HabilitationStatus.GRANTED, valid_from__lte=day, valid_to__gte=day
    ).filter(Q(qualiopi_expires_on__isnull=True) | Q(qualiopi_expires_on__gte=day))


def establishments_in_force(
    department: str = "",
    postcode: str = "",
    organisation_ids: Iterable[int] | None = None,
    day: date | None = None,
) -> QuerySet[Establishment]:
    """Establishments holding a CléA habilitation in force, in ``department`` / at ``postcode`` when given.

    A postcode outside France or an unknown department matches nothing.
    """
    found = Establishment.objects.filter(pk__in=habilitations_in_force(day).values("establishment_id"))
    department = department.strip().upper()
    if department:
        if department not in REGION_OF_DEPARTMENT:
            return found.none()
        found = found.filter(department=department)
    postcode = postcode.strip()
    if postcode:
        if department_of_postcode(postcode) is None:
            return found.none()
        found = found.filter(postcode=postcode)
    if organisation_ids is not None:
        found = found.filter(organisation_id__in=list(organisation_ids))
    return found.order_by("organisation_id", "postcode", "name", "pk")


def organisations_near(queryset: QuerySet[Any], department: str = "", postcode: str = "") -> QuerySet[Any]:
    """Narrow evaluating organisations to those with an establishment in force in a department or at a postcode.

    Neither given: the queryset unchanged. Both given: an establishment matching both.
    """
    if not department.strip() and not postcode.strip():
        return queryset
    near = establishments_in_force(department=department, postcode=postcode)
    return queryset.filter(pk__in=near.values("organisation_id"))
