"""API input validation and output shapes. Inputs are checked here for form; rules are the kernel's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from clea.journey.models import Candidate, ProgressNote
from clea.kernel.evidence import REFERENCE_PATTERN
from clea.kernel.journey import FileState, PrescriberType, WithdrawalReason
from clea.kernel.journey.withdrawal import MAX_DETAIL
from clea.kernel.mastery import EvaluationKind
from clea.kernel.plausibility import birth_date_problem

MAX_TEXT = 2000


# --- inputs --------------------------------------------------------------------------------------


class VersionedInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Version du dossier lue par le client (ou en-tête If-Match) : 409 si elle a changé.",
    )


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    # An input too (the version the client read, like If-Match: 409 if it changed), never written as sent.
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Version lue par le client (ou en-tête If-Match) : 409 si elle a changé."
    )

    def create(self, validated_data: dict[str, Any]) -> Candidate:
        validated_data.pop("version", None)
        return super().create(validated_data)

    def validate_birth_date(self, value: date | None) -> date | None:
        problem = birth_date_problem(value, timezone.localdate())
        if problem:
            raise serializers.ValidationError(problem, code="implausible")
        return value

    class Meta:
        model = Candidate
        fields = ["id", "pseudonym", "first_name", "last_name", "birth_date", "email", "phone", "created_at", "version"]
        read_only_fields = ["id", "pseudonym", "created_at"]


class ReferralInput(serializers.Serializer[Any]):
    prescriber_type = serializers.ChoiceField(choices=[p.value for p in PrescriberType])
    prescriber_name = serializers.CharField(max_length=200)
    referred_on = serializers.DateField()


class ReferInput(serializers.Serializer[Any]):
    candidate_id = serializers.IntegerField(required=False, help_text="Candidat existant")
    candidate = CandidateSerializer(required=False, help_text="Ou un nouveau candidat")
    referral = ReferralInput(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("candidate_id" in attrs) == ("candidate" in attrs):
            raise serializers.ValidationError(
                {"candidate": ["Indiquez soit candidate_id, soit un nouveau candidat (candidate)."]}, code="one_of"
            )
        return attrs


class ConsentInput(VersionedInput):
    consent = serializers.BooleanField(help_text="La personne consent explicitement (R2).")
    consent_purpose = serializers.CharField(max_length=300)


class ResultInputSerializer(serializers.Serializer[Any]):
    criterion = serializers.CharField(max_length=20)
    acquired = serializers.BooleanField()
    comment = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    evidence = serializers.ListField(
        child=serializers.RegexField(
            REFERENCE_PATTERN,
            max_length=80,
            error_messages={"invalid": "Une preuve est l'UUID d'une pièce du dossier ou « préfixe:id » (obs-btp:12)."},
        ),
        required=False,
        default=list,
        max_length=20,
        help_text="Pièces du dossier (UUID) ou fiches d'une branche (« obs-btp:12 »).",
    )
    evaluated_on = serializers.DateField(required=False)


class EvaluationInput(VersionedInput):
    kind = serializers.ChoiceField(choices=[k.value for k in EvaluationKind])
    evaluator_id = serializers.IntegerField(required=False, help_text="Par défaut : l'utilisateur connecté")
    days = serializers.ListField(child=serializers.DateField(), min_length=1, max_length=10)
    modality = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Modalité d'évaluation (R3) : code d'une branche habilitée (« btp ») ou clé(s) de modalité d'une "
            "branche habilitée, séparées par des virgules (« btp:7.2:observation_en_situation_de_travail ») ; "
            "voir GET /api/branches/modalities/. Vide : seulement si l'organisme n'est habilité que pour une "
            "branche (elle est alors retenue). Sinon 400 : no_accredited_branch, modality_required, "
            "modality_not_accredited, modality_unknown, branch_rule."
        ),
    )
    results = serializers.ListField(child=ResultInputSerializer(), allow_empty=False, max_length=500)


class SessionSerializer(serializers.Serializer[Any]):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    subdomains = serializers.ListField(child=serializers.CharField(max_length=20), min_length=1, max_length=30)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")  # type: ignore[assignment]  # the metaclass pops declared fields


class TrainingPathInput(VersionedInput):
    trainer_id = serializers.IntegerField()
    training_organisation = serializers.CharField(max_length=200)
    sessions = serializers.ListField(
        child=SessionSerializer(),
        required=False,
        max_length=100,
        help_text="Absent : calendrier proposé à partir des écarts",
    )


class AdjustPathInput(VersionedInput):
    trainer_id = serializers.IntegerField()
    sessions = serializers.ListField(child=SessionSerializer(), allow_empty=False, max_length=100)


class WithdrawInput(VersionedInput):
    reason = serializers.ChoiceField(
        choices=[(r.value, r.label_fr) for r in WithdrawalReason],
        help_text="Motif de sortie (code) ; « other » demande une précision.",
    )
    reason_detail = serializers.CharField(max_length=MAX_DETAIL, required=False, allow_blank=True, default="")
    confirmed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Jour où le candidat a confirmé sa sortie."
    )


class TransferInput(VersionedInput):
    target_organisation = serializers.SlugField(max_length=63, help_text="Slug de l'organisme destinataire.")
    consent = serializers.BooleanField()
    consent_purpose = serializers.CharField(max_length=300, default="Transfert du dossier vers un autre organisme")


class ImportInput(serializers.Serializer[Any]):
    bundle = serializers.CharField(max_length=50 * 1024 * 1024)
    consent = serializers.BooleanField()
    consent_purpose = serializers.CharField(max_length=300, default="Reprise du dossier transféré")


class EvidenceInput(serializers.Serializer[Any]):
    content = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    criterion = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class ProgressNoteSerializer(serializers.ModelSerializer[ProgressNote]):
    class Meta:
        model = ProgressNote
        fields = ["id", "subdomain", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"text": {"max_length": MAX_TEXT}}


# --- outputs -------------------------------------------------------------------------------------


class EvidenceOutput(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    title = serializers.CharField()
    criterion = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.IntegerField()
    review_status = serializers.ChoiceField(choices=["to_review", "accepted", "rejected"])
    review_reason = serializers.CharField()
    reviewed_by = serializers.IntegerField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField()


class EvidenceReviewInput(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ResultOutput(serializers.Serializer[Any]):
    criterion = serializers.CharField()
    acquired = serializers.BooleanField()
    evaluated_on = serializers.DateField()
    evaluator = serializers.CharField()
    comment = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())


class EvaluationOutput(serializers.Serializer[Any]):
    kind = serializers.CharField()
    evaluator = serializers.CharField()
    days = serializers.ListField(child=serializers.DateField())
    modality = serializers.CharField()
    results = ResultOutput(many=True)


class ObjectiveOutput(serializers.Serializer[Any]):
    subdomain = serializers.CharField()
    criteria = serializers.ListField(child=serializers.CharField())


class PathOutput(serializers.Serializer[Any]):
    trainer = serializers.CharField()
    training_organisation = serializers.CharField()
    objectives = ObjectiveOutput(many=True)
    sessions = SessionSerializer(many=True)
    ends_on = serializers.DateField()


class DecisionOutput(serializers.Serializer[Any]):
    kind = serializers.CharField()
    actor = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    referential_id = serializers.CharField()
    from_state = serializers.CharField(allow_null=True)
    to_state = serializers.CharField()
    detail = serializers.DictField(child=serializers.CharField(allow_blank=True))


class SubDomainMasteryOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    acquired = serializers.BooleanField()
    acquired_criteria = serializers.ListField(child=serializers.CharField())
    missing_criteria = serializers.ListField(child=serializers.CharField())
    share = serializers.FloatField()
    threshold = serializers.FloatField()


class DomainMasteryOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    mastered = serializers.BooleanField()
    subdomains = SubDomainMasteryOutput(many=True)


class MasteryOutput(serializers.Serializer[Any]):
    referential_id = serializers.CharField()
    ready_for_jury = serializers.BooleanField()
    mastered_domains = serializers.ListField(child=serializers.CharField())
    acquired_criteria = serializers.IntegerField()
    total_criteria = serializers.IntegerField()
    domains = DomainMasteryOutput(many=True)


class FileSummaryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    state = serializers.ChoiceField(choices=[s.value for s in FileState])
    state_label = serializers.CharField()
    candidate = CandidateSerializer()
    referential_id = serializers.CharField()
    counsellor_id = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class FileDetailOutput(FileSummaryOutput):
    days_left = serializers.IntegerField(allow_null=True)
    referral = ReferralInput(allow_null=True)
    consent_purpose = serializers.CharField()
    consent_given_on = serializers.DateField(allow_null=True)
    evaluations = EvaluationOutput(many=True)
    current_path = PathOutput(allow_null=True)
    decisions = DecisionOutput(many=True)
    mastery = MasteryOutput()
    evidence = EvidenceOutput(many=True)


class TransferOutput(serializers.Serializer[Any]):
    file = FileSummaryOutput()
    bundle = serializers.CharField()


class ErrorOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    rule = serializers.CharField(allow_null=True)
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]  # the metaclass pops declared fields
