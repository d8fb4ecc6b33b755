"""Referring a group: a spreadsheet (all rows valid or nothing imported) and a cohort's code."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from import_export.formats import base_formats
from tests.prescribers.conftest import PrescriberFixture

from clea.outbox.models import OutboxMessage
from clea.prescribers.bulk import COLUMNS, template
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import Referral

pytestmark = [pytest.mark.db]
TODAY = date.today().strftime("%d/%m/%Y")


def rows(count: int) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(COLUMNS))
    for index in range(count):
        dataset.append([f"Prénom{index}", f"Nom{index}", f"p{index}@example.test", "", TODAY, "oui"])
    return dataset


def upload(p: PrescriberFixture, org: Any, content: bytes | str, name: str) -> Any:
    data = content.encode() if isinstance(content, str) else content
    return p.client.post(
        "/api/prescriber/referrals/bulk/",
        {"organisation": org.pk, "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


def test_fifty_rows_with_one_bad_row_import_nothing_and_the_report_names_it(
    prescriber: Callable[..., PrescriberFixture], org_a: Any
) -> None:
    p = prescriber()
    dataset = rows(50)
    dataset[36] = ("Jean", "Dupont", "pas-un-courriel", "", "31/02/2026", "peut-être")
    response = upload(p, org_a, base_formats.CSV().export_data(dataset), "groupe.csv")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["imported"] == 0 and body["rows"] == 50
    (line,) = body["problems"]
    assert line.startswith("Ligne 38 :")  # header on line 1, the 37th person on line 38
    assert "courriel" in line and "date du consentement" in line and "oui ou non" in line
    assert not Referral.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("extension", ["csv", "xlsx", "ods"])
def test_a_valid_spreadsheet_refers_everyone(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, run_followups: Callable[..., list[str]], extension: str
) -> None:
    p = prescriber()
    dataset = rows(50)
    content = base_formats.CSV().export_data(dataset) if extension == "csv" else None
    if content is None:
        content = {"xlsx": base_formats.XLSX(), "ods": base_formats.ODS()}[extension].export_data(dataset)
    response = upload(p, org_a, content, f"groupe.{extension}")
    assert response.status_code == 201, response.json()
    assert response.json()["imported"] == 50
    assert Referral.objects.filter(prescriber=p.organisation).count() == 50
    run_followups()
    with schema_context(org_a.schema_name):
        assert IncomingReferral.objects.count() == 50


def test_the_template_reads_back(prescriber: Callable[..., PrescriberFixture], org_a: Any) -> None:
    for extension in ("csv", "xlsx", "ods"):
        content = template(extension)
        dataset = base_formats.XLSX().create_dataset(content) if extension == "xlsx" else None
        if extension == "csv":
            dataset = base_formats.CSV().create_dataset(content)
        if extension == "ods":
            dataset = base_formats.ODS().create_dataset(content)
        assert dataset is not None and list(dataset.headers) == list(COLUMNS)


def test_an_unreadable_file_or_missing_columns_import_nothing(
    prescriber: Callable[..., PrescriberFixture], org_a: Any
) -> None:
    p = prescriber()
    assert upload(p, org_a, b"\x00\x01garbage", "groupe.xlsx").status_code == 400
    assert upload(p, org_a, "nom\nDupont\n", "groupe.csv").json()["problems"][0].startswith("Colonnes manquantes")
    assert upload(p, org_a, io.BytesIO(b"x").read(), "groupe.pdf").status_code == 400
    assert not Referral.objects.exists()


def test_a_cohort_code_used_by_three_people(
    prescriber: Callable[..., PrescriberFixture], org_a: Any, run_followups: Callable[..., list[str]]
) -> None:
    employer = prescriber("employer", "Entreprise Dupont")
    other = prescriber("opco", "OPCO Mobilités")
    response = employer.client.post(
        "/api/prescriber/cohorts/", {"organisation": org_a.pk, "name": "CléA en entreprise — atelier"}, format="json"
    )
    assert response.status_code == 201, response.json()
    cohort = response.json()
    assert cohort["link"] == f"/prescripteur/cohorte/{cohort['code']}/"
    anonymous = employer.client.__class__()
    anonymous.defaults["HTTP_HOST"] = "clea.test"
    for name in ("Ana", "Bilal", "Chloé"):
        body = {
            "code": cohort["code"].lower(),
            "person": {"first_name": name, "last_name": "Salarié"},
            "consent": {"given": True, "given_on": str(date.today()), "share_results": True},
        }
        assert anonymous.post("/api/prescriber/cohort-registrations/", body, format="json").status_code == 201
    bad = {
        "code": "NOPE",
        "person": {"first_name": "X", "last_name": "Y"},
        "consent": {"given": True, "given_on": str(date.today())},
    }
    assert anonymous.post("/api/prescriber/cohort-registrations/", bad, format="json").status_code == 400
    listed = employer.client.get("/api/prescriber/cohorts/").json()
    assert [c["registrations"] for c in listed] == [3]
    assert {r["first_name"] for r in employer.client.get("/api/prescriber/referrals/").json()} == {
        "Ana",
        "Bilal",
        "Chloé",
    }
    assert other.client.get("/api/prescriber/cohorts/").json() == []
    run_followups()
    with schema_context(org_a.schema_name):
        assert set(IncomingReferral.objects.values_list("cohort_name", flat=True)) == {"CléA en entreprise — atelier"}
