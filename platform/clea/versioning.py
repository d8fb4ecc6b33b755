"""Optimistic concurrency for every resource people change (#21 §2): a version, an ETag, no lost update.

A model that can be changed through the API or the web inherits :class:`Versioned` (a ``version`` bumped by
every change, an ``etag`` built from it). A change goes through :func:`update_versioned` (or calls
:func:`check_version` then :func:`bump` inside its own locked transaction): the row is locked, the version the
caller read (``If-Match`` or a body ``version``) must still be the stored one, else ``version_conflict``
(HTTP 409), and only the fields sent are written. The API side (reading ``If-Match``, answering the ETag)
is :mod:`clea.api.versioning`; ``tests/contracts/test_concurrency_contract.py`` fails when a writable
endpoint does not take a version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from django.db import models, transaction

from clea.kernel.errors import DomainError

M = TypeVar("M", bound="Versioned")


class HasVersion(Protocol):
    """A row with a version: a :class:`Versioned` model, or one that cannot inherit it (the tenant model)."""

    pk: Any
    version: int

    def save(self, *args: Any, **kwargs: Any) -> None: ...


class Versioned(models.Model):
    """``version``: 1 when created, + 1 at every change; ``etag``: ``"<kind>-<id>-<version>"``."""

    version = models.PositiveIntegerField(default=1)

    etag_kind = ""  # e.g. "jury"; defaults to the model's name in lower case

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        return f'"{self.etag_kind or type(self).__name__.lower()}-{self.pk}-{self.version}"'


def version_conflict(stored: int, expected: int, what_fr: str = "Cet élément") -> DomainError:
    return DomainError(
        "version_conflict",
        None,
        f"{what_fr} a été modifié entre-temps par quelqu'un d'autre : rechargez-le avant de recommencer.",
        f"It changed meanwhile (version {stored}, you sent {expected}): reload it first.",
    )


def check_version(instance: HasVersion, expected: int | None, what_fr: str = "Cet élément") -> None:
    """Raise ``version_conflict`` when ``expected`` (``None``: the caller sent none) is not the stored one.
    Call it on a row locked with ``select_for_update``."""
    if expected is not None and instance.version != expected:
        raise version_conflict(instance.version, expected, what_fr)


def bump(instance: HasVersion, fields: list[str] | tuple[str, ...] = ()) -> None:
    """Save ``fields`` and the next version, in the caller's transaction."""
    instance.version += 1
    instance.save(update_fields=[*fields, "version"])


def update_versioned(
    model: type[M],
    pk: Any,
    changes: Mapping[str, Any],
    expected: int | None,
    *,
    what_fr: str = "Cet élément",
    queryset: models.QuerySet[M] | None = None,
) -> M:
    """Lock the row, check ``expected``, write only the fields of ``changes`` that differ (many-to-many fields
    are set as a whole), bump the version when something changed; returns the stored instance."""
    with transaction.atomic():
        instance = (queryset if queryset is not None else model._default_manager.all()).select_for_update().get(pk=pk)
        check_version(instance, expected, what_fr)
        many = {f.name for f in model._meta.many_to_many}
        changed: list[str] = []
        for field, value in changes.items():
            if field in many:
                current = set(getattr(instance, field).values_list("pk", flat=True))
                wanted = {getattr(item, "pk", item) for item in value}
                if current != wanted:
                    getattr(instance, field).set(wanted)
                    changed.append(field)
            elif getattr(instance, field) != value:
                setattr(instance, field, value)
                changed.append(field)
        if changed:
            bump(instance, [f for f in changed if f not in many])
    return instance
