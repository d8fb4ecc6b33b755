"""Attestations and certificates where people look: the organisation's file page and the candidate's portal
show the certificate (number, verification/share link with the printed code, PDF, signed credential) and the
R12 attestation; a revocation shows on both at once; other organisations see nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from tests.api.journey_helpers import walk_to
from tests.certification.conftest import JuryFixture
from tests.certification.holders import certified_with_identity
from tests.fixtures.tenants import make_user

from clea.certification.disclosure import printed_code
from clea.certification.models import JurySubmission
from clea.journey.documents import make_partial_attestation
from clea.journey.models import CandidateFileRecord

pytestmark = [pytest.mark.db]


def signed_in(org: Any, user: Any) -> Client:
    client = Client(HTTP_HOST=f"{org.slug}.{settings.CLEA_BASE_DOMAIN}")
    with schema_context(org.schema_name):
        client.force_login(user)
    return client


def portal_user_for(org: Any, file_id: int) -> Any:
    with schema_context(org.schema_name):
        user = make_user(org.schema_name, "candidate")
        record = CandidateFileRecord.objects.select_related("candidate").get(pk=file_id)
        record.candidate.user = user
        record.candidate.save(update_fields=["user"])
        counsellor = record.counsellor
    return user, counsellor


def test_certificate_on_file_page_and_portal_and_revocation_flows_back(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any, org_b: Any
) -> None:
    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    file_id = int(JurySubmission.objects.get(pk=certificate.submission_id).file_ref)
    candidate, counsellor = portal_user_for(org_a, file_id)
    code = printed_code(certificate.number)

    file_page = signed_in(org_a, counsellor).get(f"/dossiers/{file_id}/").content.decode()
    portal = signed_in(org_a, candidate).get("/mon-dossier/").content.decode()
    for page in (file_page, portal):
        assert certificate.number in page
        assert f"/verifier/{certificate.number}/?code={code}" in page  # the share link
        assert f"/verifier/{certificate.number}/certificat.pdf?code={code}" in page
        assert f"/api/public/certificates/{certificate.number}/credential/?code={code}" in page
    assert "Lien à partager" in portal

    public = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)  # the links work for whoever receives them
    assert public.get(f"/verifier/{certificate.number}/certificat.pdf", {"code": code}).status_code == 200
    credential = public.get(f"/api/public/certificates/{certificate.number}/credential/", {"code": code})
    assert credential.status_code == 200 and credential.content.count(b".") == 2

    response = federation_client.post(
        f"/api/federation/certificates/{certificate.number}/revoke/", {"reason": "Fraude constatée"}, format="json"
    )
    assert response.status_code == 200
    for client, path in (
        (signed_in(org_a, counsellor), f"/dossiers/{file_id}/"),
        (signed_in(org_a, candidate), "/mon-dossier/"),
    ):
        page = client.get(path).content.decode()
        assert "révoqué le" in page and "Fraude constatée" in page, path
        assert "Lien à partager" not in page

    with schema_context(org_b.schema_name):
        other = make_user(org_b.schema_name, "counsellor")
    assert signed_in(org_b, other).get(f"/dossiers/{file_id}/").status_code == 404


def test_partial_attestation_downloadable_by_counsellor_and_candidate_only(
    api_client_for: Callable[..., Any], org_a: Any, org_b: Any
) -> None:
    body = walk_to(api_client_for(org_a, "counsellor"), "evaluated")
    with schema_context(org_a.schema_name):
        document = make_partial_attestation(int(body["id"]), f"test:{body['id']}")
    candidate, counsellor = portal_user_for(org_a, int(body["id"]))
    link = f"/documents/{document.uid}/"
    for user in (counsellor, candidate):
        client = signed_in(org_a, user)
        page = client.get("/mon-dossier/" if user is candidate else f"/dossiers/{body['id']}/").content.decode()
        assert link in page
        download = client.get(link)
        assert download.status_code == 200 and download.getvalue().startswith(b"%PDF")
    with schema_context(org_a.schema_name):
        stranger = make_user(org_a.schema_name, "candidate")  # another candidate of the same organisation
    assert signed_in(org_a, stranger).get(link).status_code == 404
    with schema_context(org_b.schema_name):
        other = make_user(org_b.schema_name, "counsellor")
    assert signed_in(org_b, other).get(link).status_code == 404
    assert Client(HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}").get(link).status_code == 302  # sign in
