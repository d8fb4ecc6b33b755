"""Evidence references with their kind (R10: the jury file lists the evidence; plugins tell a photo from a sheet)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clea.kernel.evidence import (
    DOCUMENT,
    OTHER,
    PHOTO,
    TEXT,
    EvidenceRef,
    evidence_items,
    kind_of_content_type,
    kind_of_reference,
)
from clea.kernel.journey import CandidateFile, FileState
from clea.kernel.jury import snapshot_for_jury
from clea.kernel.referential import default_referential

REF = default_referential()


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [("image/jpeg", PHOTO), ("image/png", PHOTO), ("application/pdf", DOCUMENT), ("text/plain", TEXT), ("", OTHER)],
)
def test_r10_kind_of_an_uploaded_piece_follows_its_content_type(content_type: str, kind: str) -> None:
    assert kind_of_content_type(content_type) == kind


def test_r10_a_prefixed_reference_has_the_kind_of_its_prefix() -> None:
    assert kind_of_reference("obs-btp:12") == "obs-btp"
    assert kind_of_reference("4b0c8a2e-9f1d-4c3b-8e7a-1d2c3b4a5f60") == OTHER
    assert kind_of_reference("obs-btp:") == OTHER


def test_r10_items_keep_the_order_and_describe_known_pieces() -> None:
    sheet = EvidenceRef("u-1", DOCUMENT, "application/pdf", "Fiche d'inventaire", "2.1.1")
    items = evidence_items(["obs-btp:3", "u-1", "obs-btp:3"], {"u-1": sheet})
    assert items == (EvidenceRef("obs-btp:3", "obs-btp"), sheet)


def test_r10_the_jury_snapshot_carries_the_evidence_with_its_kind(walk: Callable[..., CandidateFile]) -> None:
    file = walk(FileState.READY_FOR_JURY, gaps=("4.2",))
    references = {ref for evaluation in file.evaluations for r in evaluation.results for ref in r.evidence}
    photo = sorted(references)[0]
    known = {photo: EvidenceRef(photo, PHOTO, "image/jpeg", "Photo du poste", "")}
    snapshot = snapshot_for_jury(file, REF, "Camille Martin", known)
    assert [item.reference for item in snapshot.evidence_items] == list(snapshot.evidence)
    assert snapshot.evidence_items[0] == known[photo]
    assert {item.kind for item in snapshot.evidence_items[1:]} == {OTHER}
    assert snapshot_for_jury(file, REF, "Camille Martin") == snapshot  # items do not change what the jury compares
