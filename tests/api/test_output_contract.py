"""The API returns the presenters' dicts directly; the documented output serializers must say exactly that."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.renderers import JSONRenderer
from tests.api.journey_helpers import walk_to

from clea.journey.api import serializers as s

pytestmark = pytest.mark.django_db


def _as_json(data: Any) -> Any:
    return json.loads(JSONRenderer().render(data))


def test_file_detail_matches_its_documented_shape(counsellor: Any, trainer_a: Any, org_a: Any) -> None:
    body = walk_to(counsellor, "training", trainer_id=trainer_a.pk)
    upload = SimpleUploadedFile("a.txt", b"Compte rendu")
    assert counsellor.post(f"/api/files/{body['id']}/evidence/", {"content": upload}).status_code == 201
    served = counsellor.get(f"/api/files/{body['id']}/").json()
    documented = _as_json(s.FileDetailOutput(served).data)
    assert documented == served
    summary = counsellor.get("/api/files/").json()["results"][0]
    assert _as_json(s.FileSummaryOutput(summary).data) == summary
    mastery = counsellor.get(f"/api/files/{body['id']}/mastery/").json()
    assert _as_json(s.MasteryOutput(mastery).data) == mastery
