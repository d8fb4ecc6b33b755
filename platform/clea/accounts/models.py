from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from clea.accounts.roles import Role, roles_for_schema


class User(AbstractUser):
    """A person signing in. Lives in the schema of its organisation (or in public: federation)."""

    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return f"{self.username} ({self.role})"

    def clean(self) -> None:
        super().clean()
        schema = getattr(connection, "schema_name", "public")
        if self.role and self.role not in roles_for_schema(schema):
            raise ValidationError({"role": _("Ce rôle n'existe pas dans cet espace.")})

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
