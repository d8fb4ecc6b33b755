"""French departments and their regions (INSEE codes), and the department of a postcode.

The table is the current geography (101 departments, 18 regions; INSEE COG). A postcode gives its department
by its first digits: two in metropolitan France (Corsica: 200–201 → 2A, 202–206 → 2B), three overseas (971…976).
"""

from __future__ import annotations

import re

# department code -> region code (clea_tenants.regions.Region)
DEPARTMENT_REGION: dict[str, str] = {
    **dict.fromkeys(("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"), "84"),
    **dict.fromkeys(("02", "59", "60", "62", "80"), "32"),
    **dict.fromkeys(("04", "05", "06", "13", "83", "84"), "93"),
    **dict.fromkeys(("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"), "44"),
    **dict.fromkeys(("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"), "76"),
    **dict.fromkeys(("14", "27", "50", "61", "76"), "28"),
    **dict.fromkeys(("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"), "75"),
    **dict.fromkeys(("18", "28", "36", "37", "41", "45"), "24"),
    **dict.fromkeys(("21", "25", "39", "58", "70", "71", "89", "90"), "27"),
    **dict.fromkeys(("22", "29", "35", "56"), "53"),
    **dict.fromkeys(("44", "49", "53", "72", "85"), "52"),
    **dict.fromkeys(("75", "77", "78", "91", "92", "93", "94", "95"), "11"),
    **dict.fromkeys(("2A", "2B"), "94"),
    "971": "01",
    "972": "02",
    "973": "03",
    "974": "04",
    "976": "06",
}

POSTCODE_RE = re.compile(r"^\d{5}$")


def department_of_postcode(postcode: str) -> str | None:
    """The department of a French postcode, or ``None`` when it is not one (or not in a listed department)."""
    postcode = postcode.strip()
    if not POSTCODE_RE.fullmatch(postcode):
        return None
    if postcode.startswith("97"):
        department = postcode[:3]
    elif postcode.startswith("20"):
        department = "2A" if postcode[:3] in ("200", "201") else "2B"
    else:
        department = postcode[:2]
    return department if department in DEPARTMENT_REGION else None


def region_of_department(department: str) -> str | None:
    return DEPARTMENT_REGION.get(department)
