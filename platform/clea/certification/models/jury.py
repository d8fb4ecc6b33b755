"""Paritaire juries (R11): juries, their members, sessions, decisions per file (R12) and minutes approvals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clea.kernel import jury as kernel
from clea.versioning import Versioned
from clea_tenants.regions import Region


class College(models.TextChoices):
    EMPLOYER = kernel.College.EMPLOYER.value, _("Collège employeurs")
    EMPLOYEE = kernel.College.EMPLOYEE.value, _("Collège salariés")


class Outcome(models.TextChoices):
    CERTIFIED = kernel.Outcome.CERTIFIED.value, _("Certifié")
    REFUSED = kernel.Outcome.REFUSED.value, _("Refusé")
    ADJOURNED = kernel.Outcome.ADJOURNED.value, _("Ajourné")


class Jury(Versioned):
    """A paritaire jury of the federation, for a region and/or a branch (both empty: national)."""

    name = models.CharField(_("nom"), max_length=200)
    region = models.CharField(_("région"), max_length=2, choices=Region.choices, blank=True)
    branch = models.ForeignKey(
        "clea_tenants.Branch", verbose_name=_("branche"), on_delete=models.PROTECT, null=True, blank=True
    )
    members = models.ManyToManyField("certification.JuryMember", related_name="juries", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jury")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class JuryMember(Versioned):
    """A person who may sit on juries: a federation user (role ``jury_member``) or an external person.

    ``organisations`` are the evaluating organisations the person is linked to (employer, board, …):
    R11 keeps them off any session with a candidate those organisations evaluated or trained.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jury_member"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    college = models.CharField(_("collège"), max_length=10, choices=College.choices)
    organisation_of_origin = models.CharField(
        _("structure représentée"), max_length=200, blank=True, help_text=_("Syndicat, fédération patronale…")
    )
    organisations = models.ManyToManyField(
        "clea_tenants.Organisation", verbose_name=_("organismes liés"), related_name="+", blank=True
    )
    training_bodies = models.ManyToManyField(
        "clea_tenants.TrainingBody", verbose_name=_("organismes de formation liés"), related_name="+", blank=True
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("membre de jury")
        verbose_name_plural = _("membres de jury")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def college_label(self) -> str:
        return str(College(self.college).label)


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planifiée")
    HELD = "held", _("Tenue")
    CLOSED = "closed", _("Close (procès-verbal approuvé)")


class JurySession(Versioned):
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    convened = models.ManyToManyField(JuryMember, related_name="convened_sessions", blank=True)
    present = models.ManyToManyField(JuryMember, related_name="attended_sessions", blank=True)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session de jury")
        verbose_name_plural = _("sessions de jury")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jury} — {self.starts_at:%d/%m/%Y}"


class SessionDecision(models.Model):
    """R12: the jury's decision on one file at one session, with the members present (R13: who, when)."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="decisions")
    submission = models.ForeignKey("certification.JurySubmission", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    members_present = models.JSONField(default=list, help_text=_("Identifiants des membres présents."))
    recorded_by = models.ForeignKey(JuryMember, on_delete=models.PROTECT, null=True, related_name="+")
    certificate_number = models.CharField(max_length=30, blank=True)

    class Meta:
        verbose_name = _("décision du jury")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "submission"], name="one_decision_per_file_and_session")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.submission_id}: {self.outcome}"


class JuryMinutesApproval(models.Model):
    """A present member approved the minutes (procès-verbal); final when every present member has."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="approvals")
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("approbation du procès-verbal")
        ordering = ["approved_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_approval_per_member")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.member_id}"
