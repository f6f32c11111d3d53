"""Page furniture: running header, "Page x of y" footer, DRAFT marking, bookmarks, metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate

from pia.report.fonts import FONT, FONT_BOLD
from pia.report.pdf_styles import ALERT, MUTED, RULE

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP = 22 * mm  # room for the running header
BOTTOM = 20 * mm  # room for the footer
TOTAL_FORM = "pageTotal"  # a form XObject filled in with the page count when the document ends
HEADER_CHARS = 90


@dataclass(frozen=True)
class PageText:
    header: str
    status: str
    footer: str
    draft: bool


class ReportCanvas(Canvas):
    """Draws the page total into its form once every page exists (no second layout pass)."""

    def save(self) -> None:
        total = self.getPageNumber() - 1 if not self._code else self.getPageNumber()
        if self._code:
            self.showPage()
        self.beginForm(TOTAL_FORM)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


class OutlineEntry(Flowable):
    """Zero-size marker: a PDF bookmark to the page where it lands."""

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level > 0)


def _decorate(canvas: Canvas, text: PageText, *, cover: bool) -> None:
    canvas.saveState()
    if text.draft:
        _draft_mark(canvas)
    if not cover:
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 13 * mm, text.header)
        canvas.setFont(FONT_BOLD, 8)
        canvas.setFillColor(ALERT if text.draft else MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 13 * mm, text.status)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, PAGE_HEIGHT - 15 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 15 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 11 * mm, text.footer)
    label = f"Page {canvas.getPageNumber()} of "
    right = PAGE_WIDTH - MARGIN - 14
    canvas.drawRightString(right, 11 * mm, label)
    canvas.saveState()
    canvas.translate(right, 11 * mm)
    canvas.doForm(TOTAL_FORM)
    canvas.restoreState()
    canvas.restoreState()


def _draft_mark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(ALERT)
    canvas.setFillAlpha(0.08)
    canvas.setFont(FONT_BOLD, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -35, "DRAFT")
    canvas.restoreState()
    canvas.setFont(FONT_BOLD, 9)
    canvas.setFillColor(ALERT)
    canvas.drawCentredString(PAGE_WIDTH / 2, 6 * mm, "DRAFT: not submitted for review")


def build_pdf(
    story: list[Flowable], text: PageText, *, title: str, author: str, subject: str
) -> bytes:
    """Lays out the story on A4: a cover page template, then content pages."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="pia",
        producer="pia (ReportLab)",
        keywords="privacy impact assessment; civil liberties; biometric surveillance",
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN,
        BOTTOM,
        PAGE_WIDTH - 2 * MARGIN,
        PAGE_HEIGHT - TOP - BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates(
        [
            PageTemplate("cover", [frame], onPage=lambda c, d: _decorate(c, text, cover=True)),
            PageTemplate("content", [frame], onPage=lambda c, d: _decorate(c, text, cover=False)),
        ]
    )
    document.build([NextPageTemplate("content"), *story], canvasmaker=ReportCanvas)
    return buffer.getvalue()


def content_width() -> float:
    return PAGE_WIDTH - 2 * MARGIN
