"""Serializers of the federation's jury and certificate API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.api.versioning import VersionInput
from clea.certification.models import (
    Certificate,
    Jury,
    JuryMember,
    JurySession,
    JurySubmission,
    Outcome,
    SessionDecision,
)
from clea.kernel.plausibility import session_date_problem
from clea_tenants.models import Branch, Organisation, TrainingBody


class JuryMemberSerializer(serializers.ModelSerializer[JuryMember]):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.JURY_MEMBER), allow_null=True, required=False
    )
    organisations = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Organisation.objects.all(), required=False
    )
    training_bodies = serializers.PrimaryKeyRelatedField(  # register entries (R11 compares identities)
        many=True, queryset=TrainingBody.objects.all(), required=False
    )
    name = serializers.CharField(read_only=True)

    class Meta:
        model = JuryMember
        fields = (
            "id",
            "user",
            "first_name",
            "last_name",
            "name",
            "email",
            "college",
            "organisation_of_origin",
            "organisations",
            "training_bodies",
            "active",
            "version",
        )
        read_only_fields = ("version",)


class JurySerializer(serializers.ModelSerializer[Jury]):
    branch = serializers.SlugRelatedField(
        slug_field="code", queryset=Branch.objects.all(), allow_null=True, required=False
    )
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=JuryMember.objects.all(), required=False)

    class Meta:
        model = Jury
        fields = ("id", "name", "region", "branch", "members", "created_at", "version")
        read_only_fields = ("created_at", "version")


class SessionMemberSerializer(serializers.ModelSerializer[JuryMember]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = JuryMember
        fields = ("id", "name", "college")
        read_only_fields = fields


class JurySessionSerializer(serializers.ModelSerializer[JurySession]):
    convened = SessionMemberSerializer(many=True, read_only=True)
    present = SessionMemberSerializer(many=True, read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = JurySession
        fields = (
            "id",
            "jury",
            "starts_at",
            "place",
            "video_link",
            "status",
            "convened",
            "present",
            "files",
            "held_at",
            "closed_at",
            "version",
        )
        read_only_fields = ("status", "held_at", "closed_at", "version")

    def validate_starts_at(self, value: Any) -> Any:
        problem = session_date_problem(value, timezone.localdate())
        if problem:
            raise serializers.ValidationError(problem, code="implausible")
        return value

    def get_files(self, session: JurySession) -> list[int]:
        return [s.pk for s in session.submissions.all()]


class MemberIdsSerializer(VersionInput):
    members = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)


class SubmissionIdsSerializer(VersionInput):
    submissions = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)


class DecisionItemSerializer(serializers.Serializer[dict[str, Any]]):
    submission = serializers.IntegerField(min_value=1)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class DeliberationSerializer(VersionInput):
    present = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)
    decisions = DecisionItemSerializer(many=True, allow_empty=False)


class SessionDecisionSerializer(serializers.ModelSerializer[SessionDecision]):
    candidate_name = serializers.CharField(source="submission.candidate_name", read_only=True)

    class Meta:
        model = SessionDecision
        fields = (
            "submission",
            "candidate_name",
            "outcome",
            "reasons",
            "decided_at",
            "members_present",
            "certificate_number",
        )
        read_only_fields = fields


class SessionFileSerializer(serializers.ModelSerializer[JurySubmission]):
    """What a jury member sees of a file: the snapshot (name, mastery per domain, organisations), no more."""

    organisation = serializers.CharField(source="organisation.name", read_only=True)
    domains_mastered = serializers.ListField(child=serializers.CharField(), source="snapshot.domains_mastered")
    domains_total = serializers.ListField(child=serializers.CharField(), source="snapshot.domains_total")
    evaluating_organisations = serializers.ListField(
        child=serializers.CharField(), source="snapshot.evaluating_organisations"
    )
    training_organisations = serializers.ListField(
        child=serializers.CharField(), source="snapshot.training_organisations"
    )

    class Meta:
        model = JurySubmission
        fields = (
            "id",
            "candidate_name",
            "referential_id",
            "organisation",
            "domains_mastered",
            "domains_total",
            "evaluating_organisations",
            "training_organisations",
            "status",
            "reasons",
            "certificate_number",
        )
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer[JurySubmission]):
    """A submitted file as the federation follows it."""

    organisation = serializers.CharField(source="organisation.slug", read_only=True)

    class Meta:
        model = JurySubmission
        fields = (
            "id",
            "organisation",
            "file_ref",
            "candidate_name",
            "referential_id",
            "status",
            "session",
            "submitted_at",
            "decided_at",
            "reasons",
            "certificate_number",
        )
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)

    class Meta:
        model = Certificate
        fields = (
            "number",
            "candidate_name",
            "candidate_pseudonym",
            "referential_id",
            "organisation",
            "session",
            "issued_at",
            "revoked_at",
            "revocation_reason",
            "status_list_index",
            "signing_kid",
        )
        read_only_fields = fields


class RevocationSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=2000)


class MinutesLineSerializer(serializers.Serializer[Any]):
    candidate_name = serializers.CharField()
    organisation = serializers.CharField()
    file_ref = serializers.CharField()
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    reasons = serializers.CharField()
    certificate_number = serializers.CharField()
    decided_at = serializers.DateTimeField()


class ApprovalSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")
    approved_at = serializers.DateTimeField()


class MinutesSerializer(serializers.Serializer[Any]):
    session = serializers.IntegerField(source="session.pk")
    status = serializers.CharField(source="session.status")
    present_employer = SessionMemberSerializer(many=True, source="present_by_college.employer")
    present_employee = SessionMemberSerializer(many=True, source="present_by_college.employee")
    lines = MinutesLineSerializer(many=True)
    approvals = ApprovalSerializer(many=True)
    pending_approval = SessionMemberSerializer(many=True)
    final = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer[Any]):
    """The public answer about a certificate number."""

    number = serializers.CharField()
    well_formed = serializers.BooleanField()
    found = serializers.BooleanField()
    authentic = serializers.BooleanField(help_text="Issued by the federation, signature valid, not revoked.")
    signature_valid = serializers.BooleanField()
    revoked = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "not_found"])
    candidate_name = serializers.CharField(
        allow_null=True, help_text="Full name with ?birth_date= or ?code= (printed code), else initials."
    )
    name_disclosed = serializers.BooleanField()
    achievement = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    organisation = serializers.CharField(allow_null=True)
    referential_id = serializers.CharField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField(allow_null=True)
    signing_kid = serializers.CharField(allow_null=True)
    verification_url = serializers.CharField(allow_null=True)
