"""In chromium: the certificate and attestation links on the organisation's file page and on the candidate's
portal (share link to copy, PDF, signed credential), with axe-core checks; a revocation shows on both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.certification.conftest import jury  # noqa: F401 - the jury fixture, for a certified file
from tests.certification.holders import certified_with_identity
from tests.web.conftest import Site, check_page, login

from clea.certification.disclosure import printed_code
from clea.certification.models import JurySubmission
from clea.journey.documents import make_partial_attestation
from clea.journey.models import CandidateFileRecord

pytestmark = [pytest.mark.browser, pytest.mark.db]


def test_certificate_links_on_file_page_and_portal(
    org_a: Any,
    site_for: Callable[[Any], Site],
    new_page: Callable[..., Any],
    federation_client: Any,
    jury: Any,  # noqa: F811
    api_client_for: Callable[..., Any],
) -> None:
    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    file_id = int(JurySubmission.objects.get(pk=certificate.submission_id).file_ref)
    a = site_for(org_a)
    with schema_context(org_a.schema_name):
        record = CandidateFileRecord.objects.select_related("candidate", "counsellor").get(pk=file_id)
        candidate_user = a.user("candidate")
        record.candidate.user = candidate_user
        record.candidate.save(update_fields=["user"])
        attestation = make_partial_attestation(file_id, f"browser:{file_id}")
        counsellor = record.counsellor
        assert counsellor is not None
        counsellor.set_password("browser-pass-1234")
        counsellor.save()
    code = printed_code(certificate.number)

    page = new_page()
    login(page, a, counsellor, password="browser-pass-1234")
    page.goto(a.url(f"/dossiers/{file_id}/"))
    panel = page.locator("#certificat")
    assert certificate.number in panel.inner_text()
    assert f"code={code}" in (panel.get_by_role("link", name="Certificat (PDF)").get_attribute("href") or "")
    credential = panel.get_by_role("link", name="Certificat numérique signé (JWT, Open Badges 3.0)")
    assert f"/api/public/certificates/{certificate.number}/credential/?code={code}" in (
        credential.get_attribute("href") or ""
    )
    assert panel.get_by_role("link", name=attestation.title).is_visible()
    check_page(page, "ecosystem-01-dossier-certificat")

    portal = new_page(width=390, height=844)
    login(portal, a, candidate_user)
    portal.goto(a.url("/mon-dossier/"))
    share = portal.get_by_label("Lien à partager (il montre votre nom complet à qui le reçoit) :")
    assert share.input_value().endswith(f"/verifier/{certificate.number}/?code={code}")
    with portal.expect_download() as download:
        portal.get_by_role("link", name=attestation.title).click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_page(portal, "ecosystem-02-portail-certificat")

    revoked = federation_client.post(
        f"/api/federation/certificates/{certificate.number}/revoke/", {"reason": "Fraude constatée"}, format="json"
    )
    assert revoked.status_code == 200
    portal.reload()
    assert "révoqué le" in portal.locator("#certificat").inner_text()
    page.reload()
    assert "Fraude constatée" in page.locator("#certificat").inner_text()
