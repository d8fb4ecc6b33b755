"""Public-schema models of certification: submissions, juries and sessions, certificates and signing keys."""

from clea.certification.models.certificate import Certificate, Counter, SigningKey
from clea.certification.models.holder import HolderIdentity
from clea.certification.models.jury import (
    College,
    Jury,
    JuryMember,
    JuryMinutesApproval,
    JurySession,
    Outcome,
    SessionDecision,
    SessionStatus,
)
from clea.certification.models.submission import JurySubmission, SubmissionStatus

__all__ = [
    "Certificate",
    "College",
    "Counter",
    "HolderIdentity",
    "Jury",
    "JuryMember",
    "JuryMinutesApproval",
    "JurySession",
    "JurySubmission",
    "Outcome",
    "SessionDecision",
    "SessionStatus",
    "SigningKey",
    "SubmissionStatus",
]
