"""Where the platform gets a kernel :class:`Referential` by identity: the public table, cached in-process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from django.db import transaction

from clea.kernel.referential import Referential, parse_referential
from clea.kernel.referential.loader import DEFAULT_REFERENTIAL, SHIPPED_REFERENTIALS
from clea.referentials.models import ReferentialVersion


class UnknownReferential(KeyError):
    pass


_parsed: dict[str, Referential] = {}


def get_referential(identity: str) -> Referential:
    """The version with this identity (immutable once published, so caching by identity is safe)."""
    cached = _parsed.get(identity)
    if cached is not None:
        return cached
    row = ReferentialVersion.objects.filter(identity=identity).values_list("source_text", "code").first()
    if row is None:
        raise UnknownReferential(identity)
    referential = _parsed[identity] = parse_referential(row[0], source=row[1])
    return referential


@lru_cache(maxsize=1)
def _default_identity_cache() -> str:
    identity = ReferentialVersion.objects.filter(is_default=True).values_list("identity", flat=True).first()
    if identity is None:
        raise UnknownReferential("no default referential published")
    return identity


def default_referential() -> Referential:
    return get_referential(_default_identity_cache())


def publish(source_text: str, source_name: str, make_default: bool = False) -> ReferentialVersion:
    """Validate and store a version (idempotent: same content, same identity)."""
    referential = parse_referential(source_text, source=source_name)
    with transaction.atomic():
        if make_default:
            ReferentialVersion.objects.filter(is_default=True).exclude(identity=referential.identity).update(
                is_default=False
            )
        version, _ = ReferentialVersion.objects.update_or_create(
            identity=referential.identity,
            defaults={
                "code": referential.code,
                "title": referential.title,
                "content_hash": referential.content_hash,
                "source_text": source_text,
                **({"is_default": True} if make_default else {}),
            },
        )
    _default_identity_cache.cache_clear()
    return version


def publish_shipped() -> None:
    """Publish the referentials shipped with the kernel; the CléA socle is the default."""
    data = resources.files("clea.kernel.referential").joinpath("data")
    for name in SHIPPED_REFERENTIALS:
        publish(data.joinpath(name).read_text(encoding="utf-8"), name, make_default=name == DEFAULT_REFERENTIAL)
