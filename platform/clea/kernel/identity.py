"""R15: the civil identity a certificate carries, normalised and checked (plain Python).

* Names: Unicode NFC, spaces collapsed, apostrophes and dashes unified; the birth name in capitals (as the
  civil registry and the CPF feed print it), usage name likewise, first names kept as typed (capitalised), all
  of them, in order.
* Birth date: plausible, the person is 15 to 100 years old on the day of welcome.
* Birth place: in France, a commune by its 5-character INSEE code (``2A``/``2B`` for Corsica, ``97x`` overseas);
  abroad, an ISO 3166-1 alpha-2 country other than ``FR`` and a town.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from clea.kernel.errors import DomainError

RULE = "R15"
MIN_AGE = 15
MAX_AGE = 100
CIVILITIES: dict[str, str] = {"M": "Monsieur", "MME": "Madame"}
INSEE_CODE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
POSTCODE = re.compile(r"^\d{5}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—"), "-")
_APOSTROPHES = dict.fromkeys(map(ord, "’‘ʼ`´"), "'")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*\.?$")


def _refuse(code: str, fr: str, en: str) -> DomainError:
    return DomainError(code, RULE, fr, en)


def clean_text(value: str) -> str:
    """NFC, unified dashes and apostrophes, no space around a dash or apostrophe, single spaces."""
    text = unicodedata.normalize("NFC", value).translate(_DASHES).translate(_APOSTROPHES)
    text = re.sub(r"\s*([-'])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def fold(value: str) -> str:
    """A search key: no accents, upper case, punctuation as spaces, ``ST``/``STE`` spelled out."""
    text = unicodedata.normalize("NFKD", clean_text(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    text = re.sub(r"[^A-Z0-9]+", " ", text).strip()
    text = re.sub(r"\bSTE\b", "SAINTE", re.sub(r"\bST\b", "SAINT", text))
    return text


def normalise_name(value: str, field: str, *, upper: bool) -> str:
    text = clean_text(value)
    if not text:
        return ""
    if not _NAME.match(text):
        raise _refuse(
            f"invalid_{field}",
            f"« {text} » n'est pas un nom valide (lettres, espaces, tirets et apostrophes seulement).",
            f"{text!r} is not a valid name (letters, spaces, dashes and apostrophes only).",
        )
    if upper:
        return text.upper()
    return "-".join(" ".join(w[:1].upper() + w[1:] for w in part.split(" ")) for part in text.split("-"))


def normalise_first_names(value: str | list[str]) -> list[str]:
    """All first names, in order: a list, or one string separated by commas (or spaces when there are none)."""
    parts = value if isinstance(value, list) else (value.split(",") if "," in value else value.split(" "))
    names = [normalise_name(p, "first_names", upper=False) for p in parts]
    return [n for n in names if n]


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_birth_date(birth: date, welcomed_on: date) -> None:
    age = age_on(birth, welcomed_on)
    if not MIN_AGE <= age <= MAX_AGE:
        raise _refuse(
            "implausible_birth_date",
            f"Date de naissance invraisemblable : la personne aurait {age} ans à l'accueil "
            f"(attendu : de {MIN_AGE} à {MAX_AGE} ans).",
            f"Implausible birth date: the person would be {age} at welcome (expected {MIN_AGE} to {MAX_AGE}).",
        )


@dataclass(frozen=True)
class BirthPlace:
    """Either ``insee_code`` (France) or ``country`` + ``town`` (abroad)."""

    insee_code: str = ""
    commune_name: str = ""
    country: str = "FR"
    town: str = ""

    @property
    def abroad(self) -> bool:
        return self.country != "FR"


def check_birth_place(place: BirthPlace, known_countries: frozenset[str]) -> BirthPlace:
    """Shape checks; whether the INSEE code exists is the geography's (``clea.identity.geography``)."""
    country = place.country.strip().upper() or "FR"
    if country == "FR":
        code = place.insee_code.strip().upper()
        if not INSEE_CODE.match(code):
            raise _refuse(
                "invalid_birth_commune",
                "Le lieu de naissance en France est une commune désignée par son code INSEE (5 caractères, "
                "ex. 69123) ; un code postal se résout en code INSEE avec le nom de la commune.",
                "A birth place in France is a commune given by its INSEE code (5 characters, e.g. 69123).",
            )
        return BirthPlace(insee_code=code, commune_name=clean_text(place.commune_name), country="FR")
    if not COUNTRY.match(country) or country not in known_countries:
        raise _refuse(
            "invalid_birth_country",
            f"« {country} » n'est pas un code pays ISO 3166 (2 lettres, ex. MA, PT).",
            f"{country!r} is not an ISO 3166-1 alpha-2 country code.",
        )
    town = clean_text(place.town)
    if not town:
        raise _refuse(
            "birth_town_required",
            "Né(e) à l'étranger : indiquez la ville de naissance.",
            "Born abroad: the town of birth is required.",
        )
    return BirthPlace(country=country, town=town)
