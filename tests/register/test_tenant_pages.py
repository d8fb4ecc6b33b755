"""An organisation names a training path's body from the register: suggestions as one types, adding one."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.journey_helpers import walk_to
from tests.register.test_register_api import luhn_siret

from clea_tenants import training_bodies
from clea_tenants.models import TrainingBody

pytestmark = pytest.mark.django_db


def test_suggestions_come_from_the_register(org_a: Any, web_client_for: Any) -> None:
    training_bodies.create("GRETA Lyon Métropole", luhn_siret("5656565600001"), "84")
    counsellor = web_client_for(org_a, "counsellor")
    options = counsellor.get("/registre/organismes-de-formation/suggestions/", {"training_organisation": "greta ly"})
    assert options.status_code == 200
    assert '<option value="GRETA Lyon Métropole">' in options.content.decode()
    assert (
        "option" not in counsellor.get("/registre/organismes-de-formation/suggestions/", {"q": "zz"}).content.decode()
    )
    candidate = web_client_for(org_a, "candidate")
    assert candidate.get("/registre/organismes-de-formation/suggestions/", {"q": "greta"}).status_code in (302, 403)


def test_a_missing_body_is_added_with_its_siret(org_a: Any, web_client_for: Any, api_client_for: Any) -> None:
    counsellor = web_client_for(org_a, "counsellor")
    evaluated = walk_to(api_client_for(org_a, "counsellor"), "evaluated")
    path_page = f"/dossiers/{evaluated['id']}/parcours/"
    page = counsellor.get(path_page)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'list="training-bodies"' in html and "Organisme absent du registre" in html
    bad = counsellor.post(
        "/registre/organismes-de-formation/nouveau/",
        {"name": "Atelier", "siret": "123", "region": "84", "next": path_page},
    )
    assert bad.status_code == 200 and "SIRET invalide" in bad.content.decode()
    done = counsellor.post(
        "/registre/organismes-de-formation/nouveau/",
        {"name": "Atelier Compétences", "siret": luhn_siret("5757575700001"), "region": "84", "next": path_page},
    )
    assert done.status_code == 302 and done["Location"] == path_page
    assert TrainingBody.objects.filter(name="Atelier Compétences", organisation__isnull=True).exists()
    elsewhere = counsellor.post(
        "/registre/organismes-de-formation/nouveau/",
        {"name": "Autre", "siret": luhn_siret("5858585800001"), "region": "84", "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == "/"
