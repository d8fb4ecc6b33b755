"""One PDF set-up (``clea.pdf``): every document uses it, and what it lays out reads back as written."""

from __future__ import annotations

import ast
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak

from clea import pdf

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "platform", ROOT / "tenants", ROOT / "plugins", ROOT / "branch_modalities"]
# What only clea/pdf.py may do: choose the page, the fonts or the stylesheet, or build the document.
SET_UP = {"SimpleDocTemplate", "BaseDocTemplate", "getSampleStyleSheet", "registerFont", "A4", "Canvas"}


def _set_up_names(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportlab"):
            found += [f"{node.lineno}: {alias.name}" for alias in node.names if alias.name in SET_UP]
    return found


def test_only_clea_pdf_sets_up_documents() -> None:
    offenders = {
        str(path.relative_to(ROOT)): names
        for source in SOURCES
        for path in sorted(source.rglob("*.py"))
        if path != ROOT / "platform" / "clea" / "pdf.py" and (names := _set_up_names(path))
    }
    assert offenders == {}


def test_every_document_module_uses_it() -> None:
    for module in (
        "clea/journey/documents.py",
        "clea/certification/pdf.py",
        "clea/privacy/export.py",
        "clea/publishing/pdf.py",
    ):
        assert "from clea import pdf" in (ROOT / "platform" / module).read_text(encoding="utf-8"), module


def _render(story: list[Flowable]) -> PdfReader:
    return PdfReader(BytesIO(pdf.render(story, title="Essai — CléA", author="GRETA Lyon Métropole")))


def test_french_text_footer_and_metadata_read_back() -> None:
    name = "Zoé L’Hôte-Œuvré"
    story: list[Flowable] = [
        pdf.paragraph("Attestation « CléA »", "Title"),
        pdf.paragraph(f"Nous attestons que <b>{pdf.text(name)}</b> a acquis 12 € de compétences — bravo."),
        pdf.bullets(["Domaine 1 — <i>communiquer</i>"]),
        pdf.grid([["Candidat", "Décision"], [pdf.paragraph(pdf.text(name)), "certifié"]], [6 * cm, None]),
        PageBreak(),
        pdf.qr_code("https://clea.example/verifier/123/"),
        pdf.paragraph(pdf.text(None)),
    ]
    reader = _render(story)
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    for expected in ("Attestation « CléA »", name, "12 €", "communiquer", "certifié", "GRETA Lyon Métropole", "Page 1"):
        assert expected in first, expected
    assert "Page 2" in reader.pages[1].extract_text()
    assert reader.metadata is not None
    assert reader.metadata.title == "Essai — CléA" and reader.metadata.author == "GRETA Lyon Métropole"
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts |= {str(font["/BaseFont"]) for font in resources["/Font"].get_object().values()}
    assert fonts and all("+" in font for font in fonts), fonts  # embedded subsets, never a standard PDF font


def test_markup_of_user_data_is_escaped() -> None:
    reader = _render([pdf.paragraph(pdf.text("<b>Dupont & fils</b>"))])
    assert "<b>Dupont & fils</b>" in reader.pages[0].extract_text()


def test_the_styles_use_the_embedded_family() -> None:
    sheet = pdf.styles()
    assert sheet is pdf.styles()  # one shared sheet
    assert {sheet[name].fontName for name in ("BodyText", "Title", "Heading2")} <= {pdf.FONT, pdf.FONT_BOLD}
    assert pdf.register_fonts().is_file()
