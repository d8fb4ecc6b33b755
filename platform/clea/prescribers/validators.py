"""SIRET of a prescriber organisation, checked with python-stdnum (Luhn, La Poste's exception included)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret


def validate_siret(value: str) -> None:
    if not value:
        return
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("SIRET invalide : 14 chiffres attendus, avec une clé de contrôle correcte."), code="invalid_siret"
        ) from error


def clean_siret(value: str) -> str:
    """Spaces removed (``123 456 789 00012`` as printed on a K-bis)."""
    return str(siret.compact(value)) if value else ""
