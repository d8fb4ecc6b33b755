"""R15: the civil identity reaches the certificate (PDF), sealed from the jury's snapshot."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from tests.certification.conftest import JuryFixture
from tests.certification.holders import IDENTITY, submit_with_identity
from tests.certification.test_credentials import certify, public_client

from clea.certification.disclosure import printed_code
from clea.certification.models import HolderIdentity

pytestmark = [pytest.mark.db]


def test_the_certificate_carries_the_civil_identity_the_jury_does_not_see(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    submission = submit_with_identity(api_client_for, org_a, IDENTITY)
    holder = HolderIdentity.objects.get(submission=submission)
    assert (holder.birth_name, holder.usage_name, holder.first_names) == ("DUPONT", "MARTIN", ["Léa", "Marie"])
    assert (holder.birth_insee_code, holder.birth_commune_name, holder.complete) == ("69123", "Lyon", True)
    flat = str(submission.snapshot)
    assert "1990" not in flat and "69123" not in flat and "DUPONT" not in flat  # the jury's copy: no civil identity
    jury_view = federation_client.get(f"/api/federation/submissions/{submission.pk}/")
    assert jury_view.status_code == 200
    assert "DUPONT" not in jury_view.content.decode() and "69123" not in jury_view.content.decode()

    (certificate,) = certify(federation_client, jury, [submission])
    response = public_client().get(
        f"/api/public/certificates/{certificate.number}/pdf/", {"code": printed_code(certificate.number)}
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\n", " ")
    assert "Léa Marie MARTIN (née DUPONT)" in text
    assert "née le 14/03/1990 à Lyon (69123)" in text
