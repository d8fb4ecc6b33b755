"""SIRET and slug validation (no database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.fixtures.tenants import luhn_siret

from clea_tenants.validators import luhn_valid, schema_name_for, siret_is_valid, validate_slug


@pytest.mark.parametrize("siret", ["73282932000074", "13000123400017", "35600000000056"])
def test_valid_sirets(siret: str) -> None:
    assert siret_is_valid(siret)


@pytest.mark.parametrize("siret", ["73282932000075", "1234", "7328293200007A", "", "732829320000740"])
def test_invalid_sirets(siret: str) -> None:
    assert not siret_is_valid(siret)


def test_luhn_helper_agrees() -> None:
    assert luhn_valid(luhn_siret("1234567890123"))


@pytest.mark.parametrize("slug", ["Upper", "-dash", "a_b", "www", "public", "x" * 41, "9lives", "a--b"])
def test_bad_slugs(slug: str) -> None:
    with pytest.raises(ValidationError):
        validate_slug(slug)


def test_schema_name_is_derived_from_slug() -> None:
    validate_slug("greta-lyon-2")
    assert schema_name_for("greta-lyon-2") == "org_greta_lyon_2"
