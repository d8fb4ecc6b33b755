"""Jury rules (R10–R12): composition, independence, quorum, decisions, attestations, certificate numbers."""

from clea.kernel.jury.attestation import PartialAttestation, partial_attestation
from clea.kernel.jury.composition import (
    College,
    FileOnSession,
    JuryMember,
    check_composition,
    check_independence,
    check_quorum,
    identity_key,
    involved_organisations,
)
from clea.kernel.jury.decision import FileDecision, JurySnapshot, Outcome, check_snapshot_ready, decide
from clea.kernel.jury.numbering import certificate_number, is_valid_certificate_number
from clea.kernel.jury.snapshot import file_on_session, snapshot_for_jury

__all__ = [
    "College",
    "FileDecision",
    "FileOnSession",
    "JuryMember",
    "JurySnapshot",
    "Outcome",
    "PartialAttestation",
    "certificate_number",
    "check_composition",
    "check_independence",
    "check_quorum",
    "check_snapshot_ready",
    "decide",
    "file_on_session",
    "identity_key",
    "involved_organisations",
    "is_valid_certificate_number",
    "partial_attestation",
    "snapshot_for_jury",
]
