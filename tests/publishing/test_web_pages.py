"""The federation's publishing pages (French): roles, the upload → diff → publish flow, statements and files,
and an organisation's own statement on its host."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.fixtures.otp import force_login_verified
from tests.fixtures.tenants import make_user
from tests.publishing.conftest import dump
from tests.web.conftest import TenantClient

from clea.kernel.fees import ActKind
from clea.publishing import fees
from clea.publishing.models import Tariff
from clea.publishing.pdf import month_fr
from clea.referentials import registry
from clea.referentials.models import ReferentialVersion

pytestmark = pytest.mark.django_db


def federation(role: str) -> TenantClient:
    client = TenantClient(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    user = make_user("public", role)
    if role in ("federation_admin", "jury_member"):  # the roles with a second factor
        force_login_verified(client, user)
    else:
        client.force_login(user)
    return client


def test_pages_by_role(org_a: Any) -> None:
    anonymous = TenantClient(HTTP_HOST=settings.CLEA_BASE_DOMAIN)
    assert "/connexion/" in anonymous.get("/federation/referentiels/")["Location"]
    analyst = federation("analyst")
    page = analyst.get("/federation/referentiels/")
    assert page.status_code == 200 and "Versions du référentiel" in page.content.decode()
    assert "Publier une nouvelle version" not in page.content.decode()
    assert analyst.get("/federation/referentiels/publier/").status_code == 403
    assert analyst.post("/federation/actes/tarifs/", {}).status_code == 403
    assert analyst.get("/federation/actes/").status_code == 200
    assert federation("jury_member").get("/federation/actes/").status_code == 403
    identity = registry.default_referential().identity
    detail = analyst.get(f"/federation/referentiels/{identity}/").content.decode()
    assert "Communiquer en français" in detail and "1.1.1" in detail
    assert (
        analyst.get(f"/federation/referentiels/{identity}/export.csv")
        .content.decode("utf-8-sig")
        .startswith("domaine,")
    )
    assert analyst.get("/federation/referentiels/CLEA@nope/").status_code == 404


def test_upload_diff_and_publish_from_the_web(proposed_text: str, socle_document: dict[str, Any]) -> None:
    admin = federation("federation_admin")
    six = copy.deepcopy(socle_document)
    del six["domains"][6]
    refused = admin.post(
        "/federation/referentiels/publier/", {"fichier": SimpleUploadedFile("six.yaml", dump(six).encode())}
    )
    assert refused.status_code == 400
    assert "Le référentiel CLEA doit compter 7 domaines : ce fichier en compte 6." in refused.content.decode()

    before = ReferentialVersion.objects.count()
    preview = admin.post(
        "/federation/referentiels/publier/",
        {"fichier": SimpleUploadedFile("clea-socle-proposed.yaml", proposed_text.encode())},
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "0 changement de structure" in html and "22 changements de notes ou de sources" in html
    assert "sous-domaine 1.1 · note" in html
    assert ReferentialVersion.objects.count() == before
    form = preview.context["form"]
    data = {name: form[name].value() for name in ("content", "source_format", "source_name", "expected_current")}
    past = admin.post("/federation/referentiels/publier/confirmer/", {**data, "effective_from": "2020-01-01"})
    assert past.status_code == 400 and "ne peut pas être passée" in past.content.decode()
    done = admin.post(
        "/federation/referentiels/publier/confirmer/", {**data, "effective_from": timezone.localdate().isoformat()}
    )
    assert done.status_code == 302
    new_identity = registry.default_referential().identity
    assert done["Location"].endswith(f"/federation/referentiels/{new_identity}/")
    assert ReferentialVersion.objects.count() == before + 1


def test_statements_on_screen_csv_pdf_and_for_the_organisation(
    org_a: Any, org_b: Any, web_client_for: Callable[..., Any]
) -> None:
    from clea.facts.services import publish

    fees.add_tariff(ActKind.INITIAL_EVALUATION, Decimal("20"), date(2019, 1, 1), Decimal("20"), None)
    publish(
        organisation=org_a.slug, region=org_a.region, branches=[], candidate="00000000-0000-0000-0000-000000000001",
        file_ref="1", decision_id=3, kind="initial_evaluation", from_state="file_opened", to_state="evaluated",
        at=timezone.now(), prescriber_type="", referential_id=registry.default_referential().identity, detail={},
    )  # fmt: skip
    admin = federation("federation_admin")
    home = admin.get("/federation/actes/").content.decode()
    assert "Actes et redevances" in home and "Organisme test-alpha" in home
    totals = admin.get("/federation/actes/totaux.csv").content.decode("utf-8-sig").splitlines()
    assert totals[0].startswith("organisme,identifiant,initial_evaluation,certificate")
    row_a = next(line for line in totals if f",{org_a.slug}," in line)
    assert row_a.split(",")[2] == "1" and totals[-1].startswith("Total fédération")
    page = admin.get(f"/federation/actes/{org_a.slug}/").content.decode()
    assert "Évaluation préalable" in page and "20,00 €" in page
    assert month_fr(f"{timezone.localdate():%Y-%m}") in page  # "décembre 2026"
    csv = admin.get(f"/federation/actes/{org_a.slug}/releve.csv")
    assert csv["Content-Type"].startswith("text/csv") and "Évaluation préalable" in csv.content.decode("utf-8-sig")
    pdf = admin.get(f"/federation/actes/{org_a.slug}/releve.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert admin.get(f"/federation/actes/{org_a.slug}/releve.xls").status_code == 404
    assert admin.get("/federation/actes/nobody/").status_code == 404

    own = web_client_for(org_a, "admin").get("/organisme/actes/")
    assert own.status_code == 200 and "Évaluation préalable" in own.content.decode()
    assert web_client_for(org_a, "admin").get("/organisme/actes/releve.pdf").content.startswith(b"%PDF")
    other = web_client_for(org_b, "admin").get("/organisme/actes/").content.decode()
    assert "Aucun acte sur la période." in other
    assert web_client_for(org_a, "counsellor").get("/organisme/actes/").status_code == 403


def test_tariff_form(org_a: Any) -> None:
    admin = federation("federation_admin")
    ok = admin.post(
        "/federation/actes/tarifs/",
        {"kind": "certificate", "unit_price": "5", "vat_rate": "20", "valid_from": "2019-01-01"},
    )
    assert ok.status_code == 302 and Tariff.objects.count() == 1
    refused = admin.post(
        "/federation/actes/tarifs/",
        {"kind": "certificate", "unit_price": "6", "vat_rate": "20", "valid_from": "2018-01-01"},
    )
    assert refused.status_code == 400 and "commence déjà le 01/01/2019" in refused.content.decode()
    assert Tariff.objects.count() == 1
