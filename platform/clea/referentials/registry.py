"""Where the platform gets a kernel :class:`Referential` by identity: the public table, cached in-process."""

from __future__ import annotations

from datetime import date
from importlib import resources

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Subquery
from django.utils import timezone

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


def default_code() -> str:
    """The code of the line new files start on (the default version's: ``CLEA``)."""
    code = ReferentialVersion.objects.filter(is_default=True).values_list("code", flat=True).first()
    if code is None:
        raise UnknownReferential("no default referential published")
    return code


def version_in_force(code: str, on: date | None = None) -> ReferentialVersion | None:
    """The version of the line ``code`` new files start on, on day ``on`` (today by default).

    The published version with the latest effective date not after ``on`` (the later published on a tie).
    Not cached: another process may publish at any time, and it is one indexed query per new file.
    """
    day = on or timezone.localdate()
    return (
        ReferentialVersion.objects.filter(code=code, effective_from__lte=day)
        .order_by("-effective_from", "-id")
        .only("identity", "code", "effective_from")
        .first()
    )


def default_referential(on: date | None = None) -> Referential:
    """The version a new file starts on (R13: it stays on it afterwards): one query."""
    day = on or timezone.localdate()
    line = ReferentialVersion.objects.filter(is_default=True).values("code")[:1]
    identity = (
        ReferentialVersion.objects.filter(Q(code=Subquery(line), effective_from__lte=day) | Q(is_default=True))
        .annotate(in_force=ExpressionWrapper(Q(effective_from__lte=day), output_field=BooleanField()))
        .order_by("-in_force", F("effective_from").desc(nulls_last=True), "-id")
        .values_list("identity", flat=True)
        .first()
    )
    if identity is None:
        raise UnknownReferential("no default referential published")
    return get_referential(identity)


def publish(
    source_text: str,
    source_name: str,
    make_default: bool = False,
    *,
    effective_from: date | None = None,
    published_by: str = "",
    source_format: str = "yaml",
) -> ReferentialVersion:
    """Validate and store a version (idempotent: same content, same identity; its first dates are kept)."""
    referential = parse_referential(source_text, source=source_name)
    with transaction.atomic():
        if make_default:
            ReferentialVersion.objects.filter(is_default=True).exclude(identity=referential.identity).update(
                is_default=False
            )
        version, _created = ReferentialVersion.objects.update_or_create(
            identity=referential.identity,
            defaults={
                "code": referential.code,
                "title": referential.title,
                "content_hash": referential.content_hash,
                "source_text": source_text,
                **({"is_default": True} if make_default else {}),
            },
            create_defaults={
                "code": referential.code,
                "title": referential.title,
                "content_hash": referential.content_hash,
                "source_text": source_text,
                "is_default": make_default,
                "effective_from": effective_from or timezone.localdate(),
                "published_by": published_by,
                "source_format": source_format,
            },
        )
    return version


def publish_shipped() -> None:
    """Publish the referentials shipped with the kernel; the CléA socle is the default."""
    data = resources.files("clea.kernel.referential").joinpath("data")
    for name in SHIPPED_REFERENTIALS:
        publish(data.joinpath(name).read_text(encoding="utf-8"), name, make_default=name == DEFAULT_REFERENTIAL)
