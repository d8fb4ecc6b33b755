"""Discovery of what branch distributions install besides their hooks: their Django apps.

A branch may ship a Django app (models in tenant schemas, e.g. ``clea_branch_btp.observations``). It declares
it in the ``clea.django_apps`` entry-point group; the platform's settings add every such app to
``TENANT_APPS``. The apps are installed and migrated for every tenant, whatever its accreditations:
accreditation switches behaviour (which hooks run), not tables.

No Django import here: settings call this while they are being built.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib.metadata
import re

DJANGO_APPS_GROUP = "clea.django_apps"
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class DjangoAppDeclarationError(ValueError):
    pass


def branch_django_apps(group: str = DJANGO_APPS_GROUP) -> list[str]:
    """Dotted paths of the branch Django apps installed, sorted by entry-point name, without duplicates.

    The entry-point value is what goes into ``INSTALLED_APPS``: an app module (``clea_branch_btp.observations``)
    or an ``AppConfig`` path. ``module:attr`` forms are refused (Django cannot read them).
    """
    found: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group=group):
        value = ep.value.strip()
        if not _DOTTED.match(value):
            raise DjangoAppDeclarationError(
                f"entry point {ep.name!r} in group {group!r} must be a dotted app path, got {value!r}"
            )
        found.setdefault(ep.name, value)
    return list(dict.fromkeys(found[name] for name in sorted(found)))
