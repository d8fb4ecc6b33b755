"""R15 identity rules (plain Python) and the vendored geography (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from clea.identity import geography
from clea.kernel import identity as rules
from clea.kernel.errors import DomainError


def test_names_are_normalised() -> None:
    assert rules.normalise_name("  de  la   fontaine ", "birth_name", upper=True) == "DE LA FONTAINE"
    assert rules.normalise_name("N’Diaye – Camara", "birth_name", upper=True) == "N'DIAYE-CAMARA"
    assert rules.normalise_first_names("jean-pierre, Marie  ,  joseph") == ["Jean-Pierre", "Marie", "Joseph"]
    assert rules.normalise_first_names(["Léa", "élise"]) == ["Léa", "Élise"]
    with pytest.raises(DomainError) as refused:
        rules.normalise_name("R2D2", "birth_name", upper=True)
    assert refused.value.rule == "R15"


@pytest.mark.parametrize(
    ("birth", "ok"),
    [(date(2011, 6, 1), True), (date(2011, 6, 2), False), (date(1926, 6, 1), True), (date(1925, 6, 1), False)],
)
def test_birth_date_must_give_15_to_100_years_at_welcome(birth: date, ok: bool) -> None:
    welcome = date(2026, 6, 1)
    if ok:
        rules.check_birth_date(birth, welcome)
    else:
        with pytest.raises(DomainError, match="Implausible"):
            rules.check_birth_date(birth, welcome)


def test_birth_place_shapes() -> None:
    countries = geography.countries()
    assert rules.check_birth_place(rules.BirthPlace(insee_code="2a004"), countries).insee_code == "2A004"
    with pytest.raises(DomainError, match="INSEE"):
        rules.check_birth_place(rules.BirthPlace(insee_code="1400"), countries)
    abroad = rules.check_birth_place(rules.BirthPlace(country="ma", town=" Casablanca "), countries)
    assert (abroad.country, abroad.town, abroad.abroad) == ("MA", "Casablanca", True)
    with pytest.raises(DomainError, match="ISO"):
        rules.check_birth_place(rules.BirthPlace(country="XX", town="Nulle part"), countries)
    with pytest.raises(DomainError, match="town"):
        rules.check_birth_place(rules.BirthPlace(country="PT", town=""), countries)


def test_the_vendored_geography() -> None:
    geo = geography.load()
    assert geo.version == "6.0.0"
    assert sum(len(rows) for rows in geo.by_code.values()) == 37_590
    assert geography.commune("69123") is not None and geography.commune("69123").name == "Lyon"  # type: ignore[union-attr]
    assert geography.commune("75056").name == "Paris"  # type: ignore[union-attr]
    assert geography.commune("75115").kind == "M"  # type: ignore[union-attr]  # Paris 15e arrondissement
    assert geography.commune("93059").kind == "D"  # type: ignore[union-attr]  # Pierrefitte, delegated since 2025
    assert geography.commune("01126").code == "01033"  # type: ignore[union-attr]  # a former code, merged
    assert geography.commune("99999") is None


def test_a_postcode_and_a_name_resolve_to_the_insee_code() -> None:
    # Pix's CPF exports broke on postcodes given for INSEE codes: 69001 is a postcode, Lyon is 69123
    assert geography.resolve(postcode="69001", name="lyon").resolved.code == "69123"  # type: ignore[union-attr]
    assert geography.resolve(postcode="93200", name="St Denis").resolved.code == "93066"  # type: ignore[union-attr]
    # ambiguous: the commune nouvelle Bernwiller and the former Bernwiller, now delegated, share postcode and name
    bernwiller = geography.resolve(postcode="68210", name="Bernwiller")
    assert bernwiller.ambiguous and {c.code for c in bernwiller.choices} == {"68006", "68031"}
    assert len(geography.resolve(postcode="01400").choices) > 1  # a postcode alone: several communes
    assert geography.resolve(name="Saint-Denis").ambiguous
    assert geography.resolve(postcode="00000", name="Lyon").choices == ()
