"""Referring a group by spreadsheet (CSV, XLSX, ODS): read with django-import-export's tablib formats,
validated row by row, and imported only when every row is valid (one bad row imports nothing).

The template has the columns of :data:`COLUMNS`; the report names each wrong row by its line in the
spreadsheet (the header is line 1) with French messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import tablib
from django import forms
from django.utils import timezone
from import_export.formats import base_formats

from clea.prescribers.models import PrescriberMember, Referral
from clea.prescribers.services import DEFAULT_CONSENT_WORDING, Person, ReferralConsent, refer_many

COLUMNS: tuple[str, ...] = ("prénom", "nom", "courriel", "téléphone", "date du consentement", "partage des résultats")
FORMATS: dict[str, base_formats.TablibFormat] = {
    "csv": base_formats.CSV(),
    "xlsx": base_formats.XLSX(),
    "ods": base_formats.ODS(),
}
MAX_ROWS = 2000
YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "faux", "false", ""}


class RowForm(forms.Form):
    """One row of the spreadsheet, with the platform's French messages."""

    first_name = forms.CharField(max_length=100, error_messages={"required": "le prénom manque"})
    last_name = forms.CharField(max_length=100, error_messages={"required": "le nom manque"})
    email = forms.EmailField(required=False, error_messages={"invalid": "le courriel n'est pas valide"})
    phone = forms.CharField(max_length=30, required=False)
    consent_given_on = forms.DateField(
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "la date du consentement manque",
            "invalid": "la date du consentement n'est pas une date (JJ/MM/AAAA)",
        },
    )
    share_results = forms.CharField(required=False)

    def clean_consent_given_on(self) -> date:
        value: date = self.cleaned_data["consent_given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("la date du consentement est dans le futur")
        return value

    def clean_share_results(self) -> bool:
        value = str(self.cleaned_data.get("share_results") or "").strip().lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise forms.ValidationError("« partage des résultats » doit valoir oui ou non")


FIELD_OF_COLUMN = dict(zip(COLUMNS, RowForm.base_fields, strict=True))


@dataclass
class BulkReport:
    rows: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (line in the spreadsheet, messages)
    file_error: str = ""
    imported: list[Referral] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    def lines(self) -> list[str]:
        """The French report, one line per problem."""
        if self.file_error:
            return [self.file_error]
        return [f"Ligne {line} : {' ; '.join(messages)}." for line, messages in self.errors]


def template(extension: str) -> bytes | str:
    """An empty spreadsheet with the expected columns and one example row."""
    dataset = tablib.Dataset(headers=list(COLUMNS))
    dataset.append(
        ["Léa", "Martin", "lea.martin@example.fr", "06 12 34 56 78", timezone.localdate().strftime("%d/%m/%Y"), "oui"]
    )
    exported: bytes | str = FORMATS[extension].export_data(dataset)
    return exported


def read(content: bytes, filename: str) -> tablib.Dataset:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ValueError("Format non reconnu : déposez un fichier CSV, XLSX ou ODS.")
    try:
        stream: Any = content.decode("utf-8-sig") if extension == "csv" else content
        return FORMATS[extension].create_dataset(stream)
    except Exception as error:  # tablib, openpyxl and odfpy each raise their own errors
        raise ValueError(
            "Le fichier n'a pas pu être lu : vérifiez qu'il s'agit bien d'un tableur CSV, XLSX ou ODS."
        ) from error


def validate(dataset: tablib.Dataset) -> tuple[BulkReport, list[tuple[Person, ReferralConsent]]]:
    report = BulkReport()
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    missing = [column for column in COLUMNS if column not in headers]
    if missing:
        report.file_error = "Colonnes manquantes : " + ", ".join(f"« {c} »" for c in missing) + " (voir le modèle)."
        return report, []
    people: list[tuple[Person, ReferralConsent]] = []
    for index, row in enumerate(dataset):
        values = dict(zip(headers, row, strict=False))
        if not any(str(v or "").strip() for v in values.values()):
            continue  # blank lines at the end of a spreadsheet
        report.rows += 1
        data = {}
        for column, field_name in FIELD_OF_COLUMN.items():
            value = values.get(column)
            data[field_name] = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value or "").strip()
        form = RowForm(data)
        if form.is_valid():
            d = form.cleaned_data
            people.append(
                (
                    Person(d["first_name"], d["last_name"], d["email"], d["phone"]),
                    ReferralConsent(d["consent_given_on"], DEFAULT_CONSENT_WORDING, d["share_results"]),
                )
            )
        else:
            report.errors.append((index + 2, [str(m) for messages in form.errors.values() for m in messages]))
    if report.rows == 0:
        report.file_error = "Le fichier ne contient aucune personne."
    elif report.rows > MAX_ROWS:
        report.file_error = f"Le fichier contient plus de {MAX_ROWS} personnes : découpez-le."
    return report, people


def import_spreadsheet(
    member: PrescriberMember,
    organisation_id: int,
    content: bytes,
    filename: str,
    message: str = "",
    consent_wording: str = DEFAULT_CONSENT_WORDING,
) -> BulkReport:
    """Validate every row; import them all (one transaction) only if every row is valid."""
    try:
        dataset = read(content, filename)
    except ValueError as error:
        return BulkReport(file_error=str(error))
    report, people = validate(dataset)
    if not report.ok:
        return report
    people = [(person, ReferralConsent(c.given_on, consent_wording, c.share_results)) for person, c in people]
    report.imported = refer_many(member, organisation_id, people, message)
    return report
