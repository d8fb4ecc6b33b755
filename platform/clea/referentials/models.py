from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferentialVersion(models.Model):
    """One version of a referential, stored as the YAML it was published from (R13: files pin to it)."""

    identity = models.CharField(_("identité"), max_length=80, unique=True)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("titre"), max_length=255)
    content_hash = models.CharField(max_length=64)
    source_text = models.TextField()
    is_default = models.BooleanField(_("version par défaut"), default=False)
    published_at = models.DateTimeField(auto_now_add=True)
    # From this day new files of the line (same ``code``) start on this version; files already open stay on
    # theirs (R13). Set when published; the latest day not after today wins.
    effective_from = models.DateField(_("en vigueur à partir du"), null=True, blank=True)
    published_by = models.CharField(_("publié par"), max_length=100, blank=True)
    source_format = models.CharField(_("format d'origine"), max_length=10, default="yaml")

    class Meta:
        verbose_name = _("version de référentiel")
        indexes = [models.Index(fields=["code", "effective_from"], name="referential_line_in_force")]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default")
        ]

    def __str__(self) -> str:
        return self.identity
