"""Collective evaluation sessions and the convocations of the candidates enrolled (tenant schema)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel.collective import Attendance
from clea.versioning import Versioned


class CollectiveSession(models.Model):
    on = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("début"))
    ends_at = models.TimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacité"))
    modality = models.CharField(_("modalité (branche)"), max_length=200, blank=True)
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="collective_sessions")
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    what_to_bring = models.TextField(_("à apporter"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance collective")
        ordering = ["on", "starts_at", "id"]

    def __str__(self) -> str:
        return f"Séance du {self.on:%d/%m/%Y} {self.starts_at:%H:%M}"


class Enrolment(Versioned):
    """A candidate convened to a session, and whether they came (an absence records no criterion: R3)."""

    session = models.ForeignKey(CollectiveSession, on_delete=models.CASCADE, related_name="enrolments")
    file = models.ForeignKey("journey.CandidateFileRecord", on_delete=models.CASCADE, related_name="enrolments")
    attendance = models.CharField(
        _("présence"),
        max_length=10,
        default=Attendance.PENDING.value,
        choices=[(a.value, a.label_fr) for a in Attendance],
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance_at = models.DateTimeField(null=True, blank=True)
    convocation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("convocation")
        ordering = ["session__on", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "file"], name="one_enrolment_per_session")]

    def __str__(self) -> str:
        return f"Convocation {self.pk}"
