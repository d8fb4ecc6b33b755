"""``move_files_to_storage``: local files to the bucket (moto's real S3 server), same names, idempotent."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to
from tests.production.conftest import S3_BUCKET, S3Server

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def s3_storage(server: S3Server) -> dict[str, Any]:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": "moved",
            "endpoint_url": server.endpoint,
            "region_name": "us-east-1",
            "access_key": "clea-test",
            "secret_key": "clea-test-secret",
            "addressing_style": "path",
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }


def test_local_files_move_to_the_bucket_under_the_same_names(
    settings: Any, tmp_path: Path, s3_server: S3Server, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = api_client_for(org_a, "counsellor")
    record = walk_to(client, "file_opened")
    response = client.post(f"/api/files/{record['id']}/evidence/", {"content": SimpleUploadedFile("p.pdf", PDF)})
    assert response.status_code == 201
    from clea.journey.models import Evidence

    with schema_context(org_a.schema_name):
        name = str(Evidence.objects.get(uid=response.json()["uid"]).content.name)
    assert (tmp_path / "media" / name).read_bytes() == PDF

    with pytest.raises(CommandError, match="set CLEA_STORAGE_BACKEND=s3 first"):
        call_command("move_files_to_storage")
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_server)}
    out = io.StringIO()
    call_command("move_files_to_storage", stdout=out)
    assert "Copied 1 files" in out.getvalue()
    stored = s3_server.client().get_object(Bucket=S3_BUCKET, Key=f"moved/{name}")
    assert stored["Body"].read() == PDF and stored["ServerSideEncryption"] == "AES256"
    with default_storage.open(name, "rb") as handle:  # what the views will now read
        assert handle.read() == PDF

    again = io.StringIO()
    call_command("move_files_to_storage", "--delete-local", stdout=again)
    assert "Copied 0 files" in again.getvalue()  # idempotent
    assert not (tmp_path / "media" / name).exists()
