"""The set-up every printed document shares (reportlab): fonts, page, margins, styles, header and footer.

Attestations (``clea.journey.documents``), certificates and jury minutes (``clea.certification.pdf``) and the
GDPR export (``clea.privacy.export``) all build their story of flowables with these helpers and hand it to
:func:`render`::

    from clea import pdf

    story = [pdf.paragraph("Titre", "Title"), pdf.paragraph(f"Bonjour {pdf.text(name)}"), pdf.bullets(lines)]
    content: bytes = pdf.render(story, title="…", author="…")

Fonts: one embedded TrueType family, ``CleaSans`` (regular, bold, italic, bold italic, so ``<b>`` and ``<i>``
work in paragraph markup): DejaVu Sans where the system has it (Debian's ``fonts-dejavu-core``), else the
Bitstream Vera fonts that ship inside reportlab (DejaVu's ancestor: same shapes, Latin-1 and œ, €, « », —, ’,
but no arrows). Unlike the 14 standard PDF fonts, both are embedded and cover French text. Page: A4, 2 cm
margins; each page carries a footer with the document's author and the page number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, Paragraph, SimpleDocTemplate, Table, TableStyle

PAGE_SIZE = A4
MARGIN = 2 * cm
FONT = "CleaSans"
FONT_BOLD = "CleaSans-Bold"
FONT_ITALIC = "CleaSans-Italic"
FONT_BOLD_ITALIC = "CleaSans-BoldItalic"
FOOTER_SIZE = 8

# (directory, regular, bold, italic, bold italic), best first; reportlab's own fonts are always there.
FONT_FILES: tuple[tuple[Path, str, str, str, str], ...] = (
    (
        Path("/usr/share/fonts/truetype/dejavu"),
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    ),
    (Path(reportlab.__file__).parent / "fonts", "Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"),
)
# The sample stylesheet's Helvetica faces, and the CleaSans face that replaces each.
_FACES = {
    "Helvetica": FONT,
    "Helvetica-Bold": FONT_BOLD,
    "Helvetica-Oblique": FONT_ITALIC,
    "Helvetica-BoldOblique": FONT_BOLD_ITALIC,
}


@cache
def register_fonts() -> Path:
    """Register the ``CleaSans`` family once per process; returns the file of its regular face."""
    for directory, *files in FONT_FILES:
        paths = [directory / name for name in files]
        if all(path.is_file() for path in paths):
            for face, path in zip((FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC), paths, strict=True):
                pdfmetrics.registerFont(TTFont(face, str(path)))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
            )
            return paths[0]
    raise RuntimeError("No PDF font found (reportlab's bundled Vera fonts are missing).")


@cache
def styles() -> StyleSheet1:
    """reportlab's sample stylesheet (``Title``, ``Heading1``…``Heading4``, ``BodyText``…) in ``CleaSans``.

    Shared by every document: derive a new ``ParagraphStyle(name, parent=styles()[…])`` rather than modify it."""
    register_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        font_name = getattr(style, "fontName", None)
        if font_name in _FACES:
            style.fontName = _FACES[font_name]
    return sheet


def text(value: Any) -> str:
    """``value`` as paragraph markup: escaped, and ``—`` for nothing."""
    return escape(str(value if value is not None and value != "" else "—"))


def paragraph(markup: str, style: str = "BodyText") -> Paragraph:
    """A paragraph of (already escaped) markup; escape user data with :func:`text`."""
    return Paragraph(markup, styles()[style])


def bullets(items: Iterable[str], empty: str = "—") -> ListFlowable:
    """A bulleted list of (already escaped) markup lines; ``empty`` when there is none."""
    lines = [paragraph(item) for item in items] or [paragraph(escape(empty))]
    return ListFlowable(lines, bulletType="bullet", bulletFontName=FONT)


def grid(rows: Sequence[Sequence[Any]], col_widths: Sequence[float | None], header: bool = True) -> Table:
    """A ruled table; with ``header``, the first row is shaded and repeated on each page."""
    table = Table([list(row) for row in rows], colWidths=list(col_widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey), ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD)]
    table.setStyle(TableStyle(commands))
    return table


def qr_code(url: str, size: float = 4 * cm) -> Drawing:
    """A QR code of ``url``, ``size`` wide and high."""
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = FONT  # else the drawing's state names Helvetica in the page's resources
    drawing.add(widget)
    return drawing


def footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
    """Each page's footer: the document's author on the left, the page number on the right."""
    canvas.saveState()
    canvas.setFont(FONT, FOOTER_SIZE)
    canvas.setFillColor(colors.grey)
    y = MARGIN / 2
    canvas.drawString(MARGIN, y, str(document.author or ""))
    canvas.drawRightString(PAGE_SIZE[0] - MARGIN, y, f"Page {canvas.getPageNumber()}")
    canvas.restoreState()


def render(story: list[Flowable], *, title: str, author: str) -> bytes:
    """The story laid out on A4 pages with the common margins and footer, as PDF bytes."""
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        initialFontName=FONT,  # not the canvas' default Helvetica, a font the PDF would not embed
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
