from clea.journey.models.candidate import Candidate
from clea.journey.models.decision import DecisionRecord
from clea.journey.models.document import Document, DocumentKind
from clea.journey.models.evaluation import CriterionResultRecord, EvaluationRecord
from clea.journey.models.evidence import Evidence, ReviewStatus
from clea.journey.models.file import CandidateFileRecord
from clea.journey.models.sitting import (
    AccommodationRecord,
    OpenEvaluationRecord,
    SavedPlanRecord,
    SittingEntryRecord,
    SittingRecord,
)
from clea.journey.models.training import ProgressNote, TrainingPathRecord, TrainingSessionRecord

__all__ = [
    "AccommodationRecord",
    "Candidate",
    "CandidateFileRecord",
    "CriterionResultRecord",
    "DecisionRecord",
    "Document",
    "DocumentKind",
    "EvaluationRecord",
    "Evidence",
    "OpenEvaluationRecord",
    "ProgressNote",
    "ReviewStatus",
    "SavedPlanRecord",
    "SittingEntryRecord",
    "SittingRecord",
    "TrainingPathRecord",
    "TrainingSessionRecord",
]
