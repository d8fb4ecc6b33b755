"""Writing a candidate's civil identity (R15): normalised, checked against the geography, in one transaction
(called by the API and the web alike), audited without its content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from clea.audit.trail import append
from clea.identity import geography
from clea.identity.models import CandidateIdentity, Civility
from clea.journey.models import Candidate
from clea.kernel import identity as rules
from clea.kernel.errors import DomainError
from clea.versioning import check_version


@dataclass
class FieldErrors(Exception):
    """Bad input, field by field (French messages); ``choices`` when a commune must be picked among several."""

    errors: dict[str, list[str]]
    choices: list[dict[str, Any]] | None = None


def _birth_place(data: dict[str, Any]) -> tuple[rules.BirthPlace, str]:
    """The birth place from an INSEE code, or a postcode + commune name resolved to one, or a country + town."""
    country = str(data.get("birth_country") or "FR").strip().upper()
    if country != "FR":
        place = rules.check_birth_place(
            rules.BirthPlace(country=country, town=str(data.get("birth_town_abroad", ""))), geography.countries()
        )
        return place, ""
    code = str(data.get("birth_insee_code", "")).strip().upper()
    postcode = str(data.get("birth_postcode", "")).strip()
    name = str(data.get("birth_commune_name", "")).strip()
    if not code and (postcode or name):
        found = geography.resolve(postcode=postcode, name=name)
        if found.resolved is None:
            if found.ambiguous:
                raise FieldErrors(
                    {"birth_insee_code": ["Plusieurs communes correspondent : choisissez la commune de naissance."]},
                    [c.as_dict() for c in found.choices],
                )
            raise FieldErrors({"birth_commune_name": ["Aucune commune ne correspond à ce code postal et ce nom."]})
        code = found.resolved.code
    place = rules.check_birth_place(rules.BirthPlace(insee_code=code), geography.countries())
    commune = geography.commune(place.insee_code)
    if commune is None:
        raise FieldErrors(
            {"birth_insee_code": [f"Le code INSEE {place.insee_code} n'existe pas dans le code officiel géographique."]}
        )
    kept_code = place.insee_code if place.insee_code in geography.load().by_code else commune.code
    return rules.BirthPlace(insee_code=kept_code, commune_name=commune.name), geography.version()


def clean(data: dict[str, Any], welcomed_on: date) -> dict[str, Any]:
    """Every field normalised and checked; :class:`FieldErrors` with all the field messages otherwise."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def attempt(field: str, compute: Any) -> None:
        try:
            out[field] = compute()
        except DomainError as exc:
            errors.setdefault(field, []).append(exc.message_fr)
        except FieldErrors:
            raise
        except (TypeError, ValueError):
            errors.setdefault(field, []).append("Valeur invalide.")

    civility = str(data.get("civility", "")).strip().upper()
    if civility not in Civility.values:
        errors["civility"] = ["Civilité attendue : M (Monsieur) ou MME (Madame)."]
    out["civility"] = civility
    attempt("birth_name", lambda: rules.normalise_name(str(data.get("birth_name", "")), "birth_name", upper=True))
    if not out.get("birth_name") and "birth_name" not in errors:
        errors["birth_name"] = ["Le nom de naissance est obligatoire."]
    attempt("usage_name", lambda: rules.normalise_name(str(data.get("usage_name", "")), "usage_name", upper=True))
    attempt("first_names", lambda: rules.normalise_first_names(data.get("first_names") or ""))
    if not out.get("first_names") and "first_names" not in errors:
        errors["first_names"] = ["Indiquez tous les prénoms, dans l'ordre de l'état civil."]
    birth = data.get("birth_date")
    try:
        birth_date = birth if isinstance(birth, date) else date.fromisoformat(str(birth))
        rules.check_birth_date(birth_date, welcomed_on)
        out["birth_date"] = birth_date
    except DomainError as exc:
        errors["birth_date"] = [exc.message_fr]
    except (TypeError, ValueError):
        errors["birth_date"] = ["Date de naissance attendue (AAAA-MM-JJ)."]
    try:
        place, version = _birth_place(data)
    except DomainError as exc:
        field = (
            "birth_insee_code"
            if exc.code == "invalid_birth_commune"
            else ("birth_country" if exc.code == "invalid_birth_country" else "birth_town_abroad")
        )
        errors.setdefault(field, []).append(exc.message_fr)
    except FieldErrors as exc:
        if exc.choices is not None:
            raise FieldErrors({**errors, **exc.errors}, exc.choices) from None
        errors.update(exc.errors)
    else:
        out.update(
            birth_country=place.country,
            birth_insee_code=place.insee_code,
            birth_commune_name=place.commune_name,
            birth_town_abroad=place.town,
            geography_version=version,
        )
    if errors:
        raise FieldErrors(errors)
    return out


def save_identity(
    candidate_id: int, data: dict[str, Any], *, actor: Any = None, expected_version: int | None = None
) -> CandidateIdentity:
    """Create or replace the candidate's identity, at the version the caller read (else ``version_conflict``);
    the candidate's birth date follows it."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)  # serialises the identity's changes
        welcomed_on = timezone.localdate(candidate.created_at) if candidate.created_at else timezone.localdate()
        fields = clean(data, welcomed_on)
        existing = CandidateIdentity.objects.filter(candidate=candidate).first()
        if existing is not None:
            check_version(existing, expected_version, "Cet état civil")
            fields["version"] = existing.version + 1
        identity, created = CandidateIdentity.objects.update_or_create(candidate=candidate, defaults=fields)
        if candidate.birth_date != fields["birth_date"]:
            candidate.birth_date = fields["birth_date"]
            candidate.version += 1
            candidate.save(update_fields=["birth_date", "version"])
        append(
            "identity.saved",
            actor=actor,
            object_ref=f"candidate:{candidate.pk}",
            detail={"created": created, "born_abroad": identity.born_abroad},  # never the identity itself
        )
        return identity


def identity_of(candidate: Candidate) -> CandidateIdentity | None:
    return CandidateIdentity.objects.filter(candidate=candidate).first()


def as_dict(identity: CandidateIdentity | None) -> dict[str, Any] | None:
    """The identity as exported (GDPR export, API)."""
    if identity is None:
        return None
    return {
        "civility": identity.civility,
        "birth_name": identity.birth_name,
        "usage_name": identity.usage_name,
        "first_names": list(identity.first_names),
        "birth_date": identity.birth_date.isoformat(),
        "born_abroad": identity.born_abroad,
        "birth_country": identity.birth_country,
        "birth_insee_code": identity.birth_insee_code,
        "birth_commune_name": identity.birth_commune_name,
        "birth_town_abroad": identity.birth_town_abroad,
        "geography_version": identity.geography_version,
        "version": identity.version,
    }


def erase(candidate: Candidate, *, certified: bool) -> int:
    """GDPR erasure: the identity goes, unless the person is certified (R15: the certifier keeps the civil
    identity its certificates carry)."""
    if certified:
        return 0
    deleted, _ = CandidateIdentity.objects.filter(candidate=candidate).delete()
    return deleted
