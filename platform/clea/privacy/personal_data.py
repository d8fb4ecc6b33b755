"""Where personal data lives: declared once, read by erasure and checked by a test (issue 17, §8).

* :data:`PERSONAL_FIELDS`: for each model of an organisation's schema that holds data about a candidate,
  its personal fields and how to reach the candidate's rows (a lookup to the file id, or the candidate
  itself). Erasure (:mod:`clea.privacy.erasure`) blanks every one of them for the person's files.
* :data:`NOT_PERSONAL`: the other text, date and JSON fields of those models, declared as such.
* :data:`DECISION_DETAIL_KEYS`: every key a decision's ``detail`` may hold: ``"keep"`` (codes, counts,
  references to staff accounts, dates of the journey) or ``"erase"`` (about the person, or free text).
  Erasure keeps only the ``"keep"`` keys; an undeclared key is erased (safe by default).

``tests/contract/test_personal_data.py`` fails when a model of a tenant app has a text/date/JSON/file field
in neither list, or when a decision carries an undeclared key: a new place for personal data must be
declared here before it can be merged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Holder:
    """``fields`` of ``model`` are personal; ``file_lookup`` reaches the candidate's file ids (``None``: the
    candidate row itself, or rows deleted whole by erasure)."""

    fields: frozenset[str]
    file_lookup: str | None = None


PERSONAL_FIELDS: dict[str, Holder] = {
    "journey.Candidate": Holder(frozenset({"first_name", "last_name", "birth_date", "email", "phone"})),
    "journey.CandidateFileRecord": Holder(
        frozenset({"prescriber_name", "referred_on", "consent_purpose", "consent_given_on", "reminders_sent"}),
        file_lookup="pk",
    ),
    "journey.CriterionResultRecord": Holder(frozenset({"comment"})),  # deleted with the evaluation
    "journey.ProgressNote": Holder(frozenset({"text"})),  # deleted with the training path
    "journey.TrainingSessionRecord": Holder(frozenset({"label"})),  # deleted with the training path
    # deleted, file and row; review_reason: a counsellor's free text about the person's piece (issue 13 §4)
    "journey.Evidence": Holder(frozenset({"title", "content", "review_reason"})),
    "journey.Document": Holder(frozenset({"title", "content"})),  # deleted, file and row
    "clea_branch_btp_observations.WorkSituationObservation": Holder(
        frozenset({"site", "observer", "notes"}), file_lookup="file_reference"
    ),
    # sittings (issue 13): an evaluator's comment on a criterion; an accommodation's detail (may be health)
    "journey.SittingEntryRecord": Holder(frozenset({"comment"}), file_lookup="sitting__open_evaluation__file"),
    "journey.AccommodationRecord": Holder(frozenset({"detail"}), file_lookup="file"),
    # the inbox copy of a prescriber's referral (issue 14; also erased by clea.prescribers.inbox.services)
    "referral_inbox.IncomingReferral": Holder(
        frozenset({"first_name", "last_name", "email", "phone", "message", "consent_wording", "decline_reason"}),
        file_lookup="file",
    ),
    # the civil identity for certificates (R15): erased by clea.identity.services.erase, kept if certified
    "identity.CandidateIdentity": Holder(
        frozenset(
            {"civility", "birth_name", "usage_name", "first_names", "birth_date", "birth_country",
             "birth_insee_code", "birth_commune_name", "birth_town_abroad"}
        )
    ),
}

NOT_PERSONAL: dict[str, frozenset[str]] = {
    "journey.Candidate": frozenset({"created_at"}),
    "journey.CandidateFileRecord": frozenset(
        {"referential_id", "state", "prescriber_type", "deadline", "transferred_from", "transferred_to",
         "created_at", "updated_at"}
    ),
    "journey.DecisionRecord": frozenset(
        {"kind", "actor_ref", "actor_role", "actor_organisation", "at", "referential_id", "from_state", "to_state",
         "detail"}  # detail: key by key, DECISION_DETAIL_KEYS
    ),
    "journey.Document": frozenset({"kind", "content_type", "sha256", "source_key", "created_at"}),
    "journey.EvaluationRecord": frozenset({"kind", "evaluator_ref", "organisation", "modality", "recorded_at"}),
    "journey.CriterionResultRecord": frozenset({"criterion", "evaluated_on", "evaluator_ref"}),
    "journey.Evidence": frozenset(
        {"criterion", "content_type", "sha256", "uploaded_at", "review_status", "reviewed_at"}
    ),
    "journey.TrainingPathRecord": frozenset({"trainer_ref", "training_organisation", "objectives", "created_at"}),
    "journey.TrainingSessionRecord": frozenset({"starts_on", "ends_on"}),
    "journey.ProgressNote": frozenset({"subdomain", "created_at"}),
    "privacy.RetentionPolicy": frozenset({"updated_at", "updated_by"}),
    "privacy.ErasureRecord": frozenset({"erased_at", "reason", "actor_ref", "counts"}),
    "clea_branch_btp_observations.WorkSituationObservation": frozenset(
        {"file_reference", "subdomain", "observed_on", "created_at"}
    ),
    "journey.OpenEvaluationRecord": frozenset({"kind", "modality", "opened_at", "closed_at"}),
    "journey.SittingRecord": frozenset({"day", "evaluator_ref", "recorded_at"}),
    "journey.SittingEntryRecord": frozenset({"criterion"}),
    "journey.SavedPlanRecord": frozenset({"branch", "plan", "saved_at"}),  # days and sub-domains of the plan
    "journey.AccommodationRecord": frozenset({"kind", "recorded_at"}),  # a kind from a list
    "referral_inbox.IncomingReferral": frozenset(
        {"prescriber_name", "prescriber_kind", "referred_by", "cohort_name", "consent_given_on", "referred_on",
         "status", "answered_at", "received_at", "reminded_at"}  # the prescriber's side and dates of the referral
    ),
    "identity.CandidateIdentity": frozenset({"geography_version", "updated_at"}),
    # a collective session is the organisation's (place, contact of its staff); attendance is a code
    "collective.CollectiveSession": frozenset(
        {"on", "place", "video_link", "modality", "contact", "what_to_bring", "created_at"}
    ),
    "collective.Enrolment": frozenset(
        {"attendance", "enrolled_at", "attendance_at", "convocation_sent_at", "reminder_sent_at"}
    ),
}

KEEP, ERASE = "keep", "erase"
DECISION_DETAIL_KEYS: dict[str, str] = {
    "prescriber_type": KEEP,  # a category (france_travail, mission_locale…)
    "prescriber": ERASE,  # the prescriber's name, as written at the welcome
    "purpose": ERASE,  # consent text
    "evaluator": KEEP,  # staff reference (user:12)
    "criteria": KEEP,
    "acquired": KEEP,
    "mastered_domains": KEEP,
    "modality": KEEP,
    "branch": KEEP,  # branch code of the modality
    "branch_warnings": ERASE,  # a branch plugin's messages: free text
    "trainer": KEEP,  # staff reference
    "objectives": KEEP,
    "ends_on": KEEP,
    "outcome": KEEP,
    "reasons": ERASE,  # free text
    "certificate_number": KEEP,  # the certifier keeps it (certified files)
    "reason": ERASE,  # free text
    "reason_code": KEEP,  # a withdrawal's reason, a WithdrawalReason code (issue 13 §7)
    "confirmed_on": ERASE,  # the day the candidate confirmed their withdrawal: about the person
    "to": KEEP,  # organisation schema
    "from": KEEP,
    "deadline": KEEP,
    "comment": ERASE,
    "note": ERASE,
    "text": ERASE,
}


def scrub_detail(detail: object) -> dict[str, object]:
    """A decision's detail with only its declared ``keep`` keys (others blanked, the key kept)."""
    if not isinstance(detail, dict):
        return {}
    return {key: (value if DECISION_DETAIL_KEYS.get(key) == KEEP else "") for key, value in detail.items()}
