"""Departments and postcodes, as far as the platform can place an organisation today.

The register (establishments with postcode and department) is being added in parallel; until it is, an
evaluating organisation is placed by its region only. :func:`organisations_near` is the one function the
search calls for a department or a postcode: it narrows to the department's region now, and is where the
establishments' own department/postcode will be matched once they exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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


def organisations_near(queryset: QuerySet[Any], department: str = "", postcode: str = "") -> QuerySet[Any]:
    """Narrow evaluating organisations to a department or a postcode.

    Today: the organisations of the department's region (an organisation has no address yet). To wire the
    register's establishments, match their department/postcode here; the search and its callers stay as
    they are. An unknown department or postcode matches nothing.
    """
    if postcode:
        found = department_of_postcode(postcode)
        if found is None:
            return queryset.none()
        department = department or found
    if not department:
        return queryset
    region = REGION_OF_DEPARTMENT.get(department.strip().upper())
    return queryset.filter(region=region) if region else queryset.none()
