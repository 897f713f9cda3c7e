"""The 8D report as a PDF (fpdf2), laid out from words and values already in the reader's language.

Nothing here knows complaints or the catalog: `bot/rendering/eightd.py` decides what the report says, this
module only how it looks. The font is DejaVu Sans, shipped in `bot/fonts/` and embedded (subset) in every
file, so „quotes“, –, €, ß, ł and ř print whatever the reader's machine has installed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVu"
INK = (33, 37, 41)
GREY = (108, 117, 125)
BAR = (226, 232, 240)
ACCENT = (31, 78, 121)
LINE = 5.0  # mm per line of body text


@dataclass(frozen=True)
class Section:
    """One discipline: its heading, its texts (label and text; a label of "" is a plain paragraph), and short
    facts printed after them as label and value side by side."""

    title: str
    entries: tuple[tuple[str, str], ...]
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportContent:
    """Everything the report prints, in order, already worded and formatted."""

    company: str
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    dates_title: str
    dates: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: str  # with {page} and {pages}
    language: str = "en"
    author: str = ""
    created: datetime | None = None
    keywords: tuple[str, ...] = field(default_factory=tuple)


def printable(text: str) -> str:
    """Text as it may go into the PDF: control characters out, line breaks kept, tabs as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


class _Document(FPDF):
    """A4 with our running footer."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer

    def footer(self) -> None:
        """Complaint, revision and page on every page."""
        self.set_y(-14)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        text = self.footer_text.replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
        self.cell(0, 6, printable(text), align="C")


def render_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes."""
    pdf = _Document(content.footer)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_lang(content.language)
    pdf.set_title(printable(f"{content.title} · {content.subtitle}"))
    pdf.set_author(printable(content.author or content.company))
    pdf.set_creator("Complaint Desk")
    pdf.set_keywords(printable(" ".join(content.keywords)))
    if content.created is not None:
        pdf.set_creation_date(content.created)
    pdf.add_page()
    _head(pdf, content)
    _pairs(pdf, content.facts)
    _bar(pdf, content.dates_title)
    _pairs(pdf, content.dates)
    for section in content.sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _head(pdf: FPDF, content: ReportContent) -> None:
    """Company, title and subtitle, with a rule under them."""
    pdf.set_text_color(*GREY)
    pdf.set_font(FAMILY, size=10)
    if content.company:
        pdf.multi_cell(0, LINE, printable(content.company), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 9, printable(content.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(0, LINE, printable(content.subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)


def _pairs(pdf: FPDF, pairs: tuple[tuple[str, str], ...]) -> None:
    """Label and value side by side, as a borderless two-column table that breaks across pages."""
    if not pairs:
        return
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=9.5)
    with pdf.table(
        col_widths=(36, 64),
        borders_layout="NONE",
        first_row_as_headings=False,
        line_height=LINE,
        text_align="LEFT",
        padding=(0.6, 1, 0.6, 0),
    ) as table:
        for label, value in pairs:
            row = table.row()
            pdf.set_font(FAMILY, "B", 9.5)
            row.cell(printable(label))
            pdf.set_font(FAMILY, size=9.5)
            row.cell(printable(value) or "—")
    pdf.ln(2)


def _bar(pdf: FPDF, title: str) -> None:
    """A shaded heading across the page; it never stands alone at the foot of a page."""
    if pdf.get_y() > pdf.h - pdf.b_margin - 25:
        pdf.add_page()
    pdf.ln(1)
    pdf.set_fill_color(*BAR)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(0, 7, printable(title), fill=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=(0, 2))
    pdf.set_text_color(*INK)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1.5)


def _section(pdf: FPDF, section: Section) -> None:
    """A discipline: its bar, then each entry's label in bold and its text below."""
    _bar(pdf, section.title)
    for label, text in section.entries:
        if label:
            pdf.set_font(FAMILY, "B", 9.5)
            pdf.multi_cell(0, LINE, printable(label), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=9.5)
        pdf.multi_cell(0, LINE, printable(text) or "—", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    _pairs(pdf, section.facts)
