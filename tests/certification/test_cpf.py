"""CPF "accrochage": the XML batch of a period validated against the project's XSD and read back, the
acknowledgement and processing report (one record rejected), the corrected resend, command and API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import xmlschema
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from tests.certification.conftest import JuryFixture
from tests.certification.holders import IDENTITY, certified_with_identity
from tests.certification.test_credentials import certify

from clea.certification.models import Certificate, JurySubmission
from clea.ecosystem import cpf
from clea.ecosystem.models import CpfBatch, CpfRecord
from clea.identity.models import CandidateIdentity

pytestmark = [pytest.mark.db]

ABROAD = {
    **IDENTITY,
    "civility": "M",
    "birth_name": "Benali",
    "usage_name": "",
    "first_names": ["Karim"],
    "birth_country": "MA",
    "birth_town_abroad": "Fès",
    "birth_postcode": "",
    "birth_commune_name": "",
}


def report(batch: CpfBatch, ok: list[str], ko: dict[str, str]) -> str:
    passages = "".join(
        f"<passage><idTechnique>{n}</idTechnique><messageErreur>{m}</messageErreur></passage>" for n, m in ko.items()
    )
    oks = "".join(f"<idTechnique>{n}</idTechnique>" for n in ok)
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><rapport><nomFichier>{batch.filename}</nomFichier>"
        f"<PassagesOK>{oks}</PassagesOK><PassagesKO>{passages}</PassagesKO></rapport>"
    )


def test_batch_validates_reads_back_and_follows_up(
    federation_client: Any,
    jury: JuryFixture,
    api_client_for: Callable[..., Any],
    submit_file: Callable[..., JurySubmission],
    org_a: Any,
) -> None:
    france = certified_with_identity(federation_client, jury, api_client_for, org_a)
    abroad = certified_with_identity(federation_client, jury, api_client_for, org_a, ABROAD)
    (incomplete,) = certify(federation_client, jury, [submit_file(org_a, "Sanscivil")])
    today = timezone.localdate()

    prepared = cpf.prepare_batch(today - timedelta(days=1), today)
    assert [s.number for s in prepared.skipped] == [incomplete.number]
    batch = prepared.batch
    assert batch is not None
    cpf.schema().validate(batch.xml)  # valid against the project's own XSD
    flux = cpf.read_back(batch.xml)
    certifier = flux["cpf:emetteur"]["cpf:certificateurs"]["cpf:certificateur"][0]
    assert certifier["cpf:idContrat"] == "MCFCER000000"
    certification = certifier["cpf:certifications"]["cpf:certification"][0]
    assert (certification["cpf:type"], certification["cpf:code"]) == ("RS", "RS5080")
    passages = certification["cpf:passageCertifications"]["cpf:passageCertification"]
    assert [p["cpf:idTechnique"] for p in passages] == [france.number, abroad.number]
    titulaire = passages[0]["cpf:identificationTitulaire"]["cpf:titulaire"]
    assert (titulaire["cpf:nomNaissance"], titulaire["cpf:nomUsage"], titulaire["cpf:prenom1"]) == (
        "DUPONT",
        "MARTIN",
        "Léa",
    )
    assert (titulaire["cpf:sexe"], titulaire["cpf:anneeNaissance"], titulaire["cpf:moisNaissance"]) == (
        "F",
        "1990",
        "03",
    )
    assert titulaire["cpf:codeCommuneNaissance"]["cpf:codeInseeNaissance"]["cpf:codeInsee"] == "69123"
    born_abroad = passages[1]["cpf:identificationTitulaire"]["cpf:titulaire"]
    assert born_abroad["cpf:libelleCommuneNaissance"] == "Fès" and born_abroad["cpf:libellePaysNaissance"] == "Morocco"
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        cpf.schema().validate(batch.xml.replace("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>X</cpf:sexe>"))
    assert cpf.prepare_batch(today - timedelta(days=1), today).batch is None  # never twice

    ack = f"<accuseReception><nomFichier>{batch.filename}</nomFichier></accuseReception>"
    assert cpf.import_acknowledgement(batch.pk, ack).status == "acknowledged"
    with pytest.raises(Exception, match="not about batch"):
        cpf.import_acknowledgement(batch.pk, "<accuseReception><nomFichier>autre.xml</nomFichier></accuseReception>")

    outcome = cpf.import_report(batch.pk, report(batch, [france.number], {abroad.number: "Aucun titulaire trouvé"}))
    assert (outcome.accepted, outcome.rejected) == (1, 1)
    rejected = CpfRecord.objects.get(batch=batch, certificate=abroad)
    assert (rejected.status, rejected.reason) == ("rejected", "Aucun titulaire trouvé")
    assert CpfRecord.objects.get(batch=batch, certificate=france).status == "accepted"

    # corrected in the organisation, then resent: only the rejected one, with the corrected identity
    with schema_context(org_a.schema_name):
        CandidateIdentity.objects.filter(birth_name="BENALI").update(
            first_names=["Karim", "Youssef"], birth_name="BEN ALI"
        )
    resent = cpf.prepare_resend().batch
    assert resent is not None and resent.resend
    assert list(resent.records.values_list("certificate__number", flat=True)) == [abroad.number]
    assert "<cpf:nomNaissance>BEN ALI</cpf:nomNaissance>" in resent.xml
    cpf.import_report(resent.pk, report(resent, [], {abroad.number: "Le passage existe déjà en base"}))
    assert CpfRecord.objects.get(batch=resent).status == "accepted"
    assert cpf.prepare_resend().batch is None

    with pytest.raises(Exception, match="not in the batch"):
        cpf.import_report(batch.pk, report(batch, ["CLEA-2026-999999-00"], {}))


def test_command_api_and_isolation(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    today = timezone.localdate().isoformat()
    out = StringIO()
    call_command("cpf_batch", "prepare", "--from", today, "--to", today, stdout=out)
    assert "1 certificate(s)" in out.getvalue()
    with pytest.raises(CommandError, match="ends before"):
        call_command("cpf_batch", "prepare", "--from", today, "--to", "2000-01-01")
    batch = CpfBatch.objects.get()

    listing = federation_client.get("/api/federation/cpf/batches/")
    assert listing.status_code == 200
    assert listing.json()[0]["records"][0]["certificate"] == certificate.number
    xml = federation_client.get(f"/api/federation/cpf/batches/{batch.pk}/xml/")
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    assert xml.content.decode() == batch.xml
    uploaded = federation_client.post(
        f"/api/federation/cpf/batches/{batch.pk}/report/",
        {"file": StringIO(report(batch, [], {certificate.number: "Date de naissance incohérente"}))},
        format="multipart",
    )
    assert uploaded.status_code == 200, uploaded.json()
    assert uploaded.json()["rejected"] == 1
    bad = federation_client.post(
        f"/api/federation/cpf/batches/{batch.pk}/report/", {"file": StringIO("<pas du xml")}, format="multipart"
    )
    assert bad.status_code == 400
    created = federation_client.post("/api/federation/cpf/batches/", {"resend": True}, format="json")
    assert created.status_code == 201, created.json()

    assert api_client_for(None, "jury_member").get("/api/federation/cpf/batches/").status_code == 403
    assert api_client_for(org_a, "admin").get("/api/federation/cpf/batches/").status_code in (403, 404)
    assert Certificate.objects.count() == 1


def test_parchment_export_csv_and_xlsx(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    import csv
    import io

    import openpyxl

    france = certified_with_identity(federation_client, jury, api_client_for, org_a)
    abroad = certified_with_identity(federation_client, jury, api_client_for, org_a, ABROAD)
    by_session = federation_client.get("/api/federation/parchments/", {"session": france.session_id})
    assert by_session.status_code == 200 and by_session["Content-Type"].startswith("text/csv")
    assert france.number in by_session.content.decode() and abroad.number not in by_session.content.decode()
    today = timezone.localdate().isoformat()
    csv_response = federation_client.get("/api/federation/parchments/", {"from": today, "to": today})
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    by_number = {r["numero_certificat"]: r for r in rows}
    assert by_number[france.number]["civilite"] == "Madame"
    assert by_number[france.number]["nom_naissance"] == "DUPONT"
    assert by_number[france.number]["prenoms"] == "Léa Marie"
    assert by_number[france.number]["date_naissance"] == "14/03/1990"
    assert by_number[france.number]["email"] == "lea@example.test"
    assert (by_number[france.number]["ne_a_l_etranger"], by_number[france.number]["code_insee_naissance"]) == (
        "non",
        "69123",
    )
    assert (by_number[abroad.number]["ne_a_l_etranger"], by_number[abroad.number]["ville_naissance_etranger"]) == (
        "oui",
        "Fès",
    )
    xlsx = federation_client.get("/api/federation/parchments/", {"from": today, "to": today, "output": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 3  # header + 2 holders
    assert federation_client.get("/api/federation/parchments/").status_code == 400  # no session, no period
    assert federation_client.get("/api/federation/parchments/", {"output": "pdf", "session": 1}).status_code == 400
    assert api_client_for(None, "jury_member").get("/api/federation/parchments/", {"session": 1}).status_code == 403


def test_demo_certificates_get_an_identity_and_a_valid_cpf_batch(
    submit_file: Callable[..., JurySubmission], org_a: Any, org_b: Any
) -> None:
    from clea.certification.demo import seed_jury
    from clea.ecosystem.demo import seed_identities_and_cpf

    for name in ("Demo", "Demoiselle", "Refusé"):
        submit_file(org_a, name)
    _, numbers = seed_jury("demo-password-123", organisation_slug=org_a.slug)
    assert len(numbers) == 2
    line = seed_identities_and_cpf()
    assert "valid" in line
    batch = CpfBatch.objects.get()
    cpf.schema().validate(batch.xml)
    assert sorted(batch.records.values_list("certificate__number", flat=True)) == numbers
    assert "already in a CPF batch" in seed_identities_and_cpf()  # idempotent


def test_federation_cpf_page(
    federation_client: Any, jury: JuryFixture, api_client_for: Callable[..., Any], org_a: Any
) -> None:
    from tests.certification.test_web_pages import signed_in

    certificate = certified_with_identity(federation_client, jury, api_client_for, org_a)
    admin = signed_in("federation_admin")
    today = timezone.localdate().isoformat()
    assert admin.post("/federation/cpf/", {"debut": today, "fin": today}).status_code == 302
    batch = CpfBatch.objects.get()
    page = admin.get("/federation/cpf/").content.decode()
    assert batch.filename in page and "Transmission des certificats au CPF" in page
    assert admin.get(f"/federation/cpf/{batch.pk}/flux.xml").content.decode() == batch.xml
    upload = StringIO(report(batch, [], {certificate.number: "Aucun titulaire trouvé"}))
    upload.name = "rapport.xml"
    assert admin.post(f"/federation/cpf/{batch.pk}/retour/", {"kind": "rapport", "fichier": upload}).status_code == 302
    page = admin.get("/federation/cpf/").content.decode()
    assert "Aucun titulaire trouvé" in page and "1 rejeté(s)" in page
    analyst = signed_in("analyst")
    assert analyst.get("/federation/cpf/").status_code == 200
    assert analyst.post("/federation/cpf/", {"action": "resend"}).status_code == 403
    assert Client(HTTP_HOST=settings.CLEA_BASE_DOMAIN).get("/federation/cpf/").status_code == 302  # sign in
