"""Validators for organisation identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 40
# Host labels and schema names the platform keeps for itself.
RESERVED_SLUGS = frozenset(
    {"www", "api", "admin", "public", "static", "media", "federation", "clea", "template", "health", "mail"}
)
LA_POSTE_SIREN = "356000000"  # La Poste's establishments follow a digit-sum rule, not Luhn


def luhn_valid(digits: str) -> bool:
    """True when the string of digits passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_is_valid(siret: str) -> bool:
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00001":
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def register_siret_is_valid(siret: str) -> bool:
    """The register's check (establishments, training bodies): python-stdnum, which also checks the SIREN's
    own key (and La Poste's rule). Stricter than :func:`siret_is_valid`, kept for organisations already known."""
    return len(siret) == 14 and siret.isdigit() and bool(stdnum_siret.is_valid(siret))


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits passing the Luhn checksum (SIREN + NIC)."""
    if not siret_is_valid(value):
        raise ValidationError(
            _("SIRET invalide : 14 chiffres attendus, avec une clé de contrôle (Luhn) correcte."),
            code="invalid_siret",
        )


def validate_slug(value: str) -> None:
    """Lower-case DNS label: it becomes ``<slug>.<base domain>`` and the schema ``org_<slug>``."""
    if not SLUG_RE.fullmatch(value) or len(value) > SLUG_MAX_LENGTH:
        raise ValidationError(
            _(
                "Identifiant invalide : lettres minuscules, chiffres et tirets, commençant par une lettre "
                "(%(max)d caractères au plus)."
            )
            % {"max": SLUG_MAX_LENGTH},
            code="invalid_slug",
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(_("Cet identifiant est réservé."), code="reserved_slug")


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of an organisation (never collides: slugs hold no underscore)."""
    return "org_" + slug.replace("-", "_")
