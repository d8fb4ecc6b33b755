"""The dossier de preuves: uploads are checked by content and size, and served only inside their tenant."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.api.journey_helpers import walk_to

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("attestation.pdf", PDF, 201),
        ("notes.txt", "Compte rendu d'activité journalière".encode(), 201),
        ("attestation.pdf", EXE, 400),  # extension says PDF, content says executable
        ("vide.pdf", b"", 400),
    ],
)
def test_evidence_checked_by_content(
    counsellor: Any, table_counts: Any, name: str, content: bytes, expected: int
) -> None:
    body = walk_to(counsellor, "file_opened")
    before = table_counts()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload, "criterion": "1.1.1"})
    assert response.status_code == expected, response.json()
    if expected == 400:
        assert table_counts() == before
    else:
        assert response.json()["size"] == len(content)


def test_evidence_size_limit(counsellor: Any, settings: Any) -> None:
    from clea.journey import evidence

    body = walk_to(counsellor, "file_opened")
    upload = SimpleUploadedFile("gros.pdf", PDF + b"0" * (evidence.MAX_EVIDENCE_BYTES + 1))
    response = counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload})
    assert response.status_code == 400 and response.json()["code"] in ("evidence_too_large", "validation_error")


def test_evidence_unknown_criterion_refused(counsellor: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    upload = SimpleUploadedFile("a.pdf", PDF)
    response = counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload, "criterion": "8.8.8"})
    assert response.status_code == 400 and "criterion" in response.json()["fields"]


def test_evidence_download_roundtrip(counsellor: Any) -> None:
    body = walk_to(counsellor, "file_opened")
    created = counsellor.post(
        f"/api/files/{body['id']}/evidence/", {"content": SimpleUploadedFile("a.pdf", PDF)}
    ).json()
    download = counsellor.get(created["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
