"""The federation staff's pages: planning a session, R11 refusals shown next to their field, roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.certification.conftest import JuryFixture, federation_user, plan_session

from clea.certification.models import JurySession, JurySubmission
from clea_tenants.schemas import use_public_schema

pytestmark = [pytest.mark.db]


def signed_in(role: str) -> Client:
    """A federation user's browser session, second factor passed (as after ``connexion/double-authentification/``)."""
    user = federation_user(role)
    client = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_planning_shows_r11_refusals_next_to_the_field(
    federation_client: Any, jury: JuryFixture, submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    admin = signed_in("federation_admin")
    created = admin.post(
        "/federation/sessions/", {"jury": jury.jury.pk, "starts_at": "2030-03-02T09:30", "place": "Lyon"}
    )
    assert created.status_code == 302
    session = JurySession.objects.get(place="Lyon")
    url = f"/federation/sessions/{session.pk}/"

    unequal = admin.post(url, {"form": "convene", "convene-members": [m.pk for m in jury.employers[:2]]})
    assert unequal.status_code == 200
    error = unequal.content.decode().split('id="id_convene-members_error">', 1)[1].split("</p>", 1)[0]
    assert "au moins un membre de chaque collège" in error

    linked = jury.employees[0]
    linked.organisations.set([org_a])
    members = [jury.employers[0].pk, linked.pk]
    assert admin.post(url, {"form": "convene", "convene-members": members}).status_code == 302
    submission = submit_file(org_a)
    conflict = admin.post(url, {"form": "assign", "assign-submissions": [submission.pk]})
    error = conflict.content.decode().split('id="id_assign-submissions_error">', 1)[1].split("</p>", 1)[0]
    assert linked.name in error and org_a.name in error
    submission.refresh_from_db()
    assert submission.session_id is None


def test_roles_on_the_pages(federation_client: Any, jury: JuryFixture) -> None:
    session = plan_session(federation_client, jury)
    anonymous = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    assert anonymous.get("/jury/")["Location"].startswith("/connexion/")
    assert anonymous.get("/federation/sessions/")["Location"].startswith("/connexion/")
    assert anonymous.get("/").status_code == 200  # the public verification form
    assert anonymous.get("/verifier/CLEA-2026-000001-00/").status_code == 404

    analyst = signed_in("analyst")
    assert analyst.get(f"/federation/sessions/{session.pk}/").status_code == 200
    assert analyst.post(f"/federation/sessions/{session.pk}/", {"form": "convene"}).status_code == 403
    assert signed_in("jury_member").get("/federation/sessions/").status_code == 403


def test_both_sites_share_the_header_tools(db: None, org_a: Any) -> None:
    """One partial (web/partials/site_tools.html) for the federation's and the organisations' headers."""
    federation = Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN).get("/").content.decode()
    assert 'name="language"' in federation and 'href="/connexion/"' in federation  # anonymous: a sign-in link
    analyst = signed_in("analyst").get("/federation/sessions/").content.decode()
    assert 'name="language"' in analyst and "Se déconnecter" in analyst
    try:
        organisation = Client(HTTP_HOST=f"{org_a.slug}.{settings.CLEA_BASE_DOMAIN}").get("/connexion/").content.decode()
    finally:
        use_public_schema()  # the routing middleware left the connection on the organisation's schema
    assert 'name="language"' in organisation and "Se déconnecter" not in organisation
