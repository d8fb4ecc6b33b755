"""Certificate numbers: ``CLEA-<year>-<sequence>-<check>``, the check being ISO 7064 MOD 97-10 (as IBAN)."""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^CLEA-(\d{4})-(\d{6,})-(\d{2})$")


def _check_digits(year: int, sequence: int) -> int:
    return 98 - (int(f"{year:04d}{sequence:06d}") * 100) % 97


def certificate_number(year: int, sequence: int) -> str:
    if not 2000 <= year <= 9999 or sequence < 1:
        raise ValueError(f"invalid year {year} or sequence {sequence}")
    return f"CLEA-{year:04d}-{sequence:06d}-{_check_digits(year, sequence):02d}"


def is_valid_certificate_number(number: str) -> bool:
    """Catches typing errors (one wrong or two swapped digits) before any lookup."""
    match = _PATTERN.match(number.strip().upper())
    if not match:
        return False
    year, sequence, check = (int(part) for part in match.groups())
    if year < 2000 or sequence < 1:
        return False
    # the canonical form only: "CLEA-2026-0000123-38" (an extra zero typed) is not "CLEA-2026-000123-38"
    return _check_digits(year, sequence) == check and match.group(0) == certificate_number(year, sequence)
