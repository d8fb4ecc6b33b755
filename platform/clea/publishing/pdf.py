"""The statement of acts as a French PDF (on the shared set-up of ``clea/pdf.py``)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from clea import pdf
from clea.kernel.fees import Statement

AUTHOR = "Fédération CléA — certificateur"
THIN_SPACE = "\u202f"  # French thousands separator


def euros(value: Decimal | None) -> str:
    if value is None:
        return "tarif non défini"
    whole, _, cents = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', THIN_SPACE)},{cents} €"


def month_fr(month: str) -> str:
    year, number = month.split("-")
    names = (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    )  # fmt: skip
    return f"{names[int(number) - 1]} {year}"


def statement_pdf(result: Statement, organisation_name: str, siret: str) -> bytes:
    period = f"du {result.start:%d/%m/%Y} au {result.end:%d/%m/%Y}"
    story: list[Flowable] = [
        pdf.paragraph("Relevé des actes de certification CléA", "Title"),
        pdf.paragraph(f"Organisme évaluateur : <b>{pdf.text(organisation_name)}</b> (SIRET {pdf.text(siret)})"),
        pdf.paragraph(f"Période : {period}"),
        pdf.paragraph(
            "Les actes sont décomptés à partir des faits enregistrés par la plateforme (évaluations préalables "
            "closes, certificats délivrés) et valorisés au tarif en vigueur le jour de chaque acte."
        ),
        Spacer(1, 0.4 * cm),
    ]
    rows: list[list[str]] = [["Mois", "Acte", "Nombre", "Prix unitaire HT", "Montant HT"]]
    for line in result.lines:
        rows.append([month_fr(line.month), line.label_fr, str(line.count), euros(line.unit_price), euros(line.amount)])
    if not result.lines:
        rows.append(["—", "Aucun acte sur la période", "0", "—", euros(Decimal("0"))])
    rows.append(["", "Total HT", "", "", euros(result.total_ht)])
    rows.append(["", "TVA", "", "", euros(result.total_vat)])
    rows.append(["", "Total TTC", "", "", euros(result.total_ttc)])
    story.append(pdf.grid(rows, [3.2 * cm, 5.8 * cm, 2 * cm, 3.2 * cm, 3 * cm]))
    if result.unpriced:
        story.append(Spacer(1, 0.3 * cm))
        story.append(
            pdf.paragraph("Certains actes n'ont pas de tarif en vigueur à leur date : ils sont comptés à 0 €.")
        )
    return pdf.render(story, title=f"Relevé des actes — {organisation_name}", author=AUTHOR)
