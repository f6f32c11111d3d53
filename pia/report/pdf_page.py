"""Page furniture: running header, "Page x of y" footer, DRAFT marking, bookmarks, metadata."""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate

from pia.report.embed import embed_files
from pia.report.fonts import FONT, FONT_BOLD
from pia.report.pdf_styles import ALERT, MUTED, RULE

# Streams are Flate-compressed binary rather than ASCII85 text on top: a quarter smaller and
# faster to write. Set once for the process (not around each build) so that concurrent renders
# can never mix the two and every rendering of a report stays byte-identical.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP = 22 * mm  # room for the running header
BOTTOM = 20 * mm  # room for the footer
TOTAL_FORM = "pageTotal"  # a form XObject filled in with the page count when the document ends
HEADER_CHARS = 90
BOLD_STROKE = 0.03  # stroke width of faux bold, as a fraction of the font size


@dataclass(frozen=True)
class PageText:
    header: str
    status: str
    footer: str
    draft: bool


class BoldText(PDFTextObject):
    """A text object that draws the bold face as fill-and-stroke ("faux bold").

    The font package ships Noto Sans as a variable font, of which ReportLab can only draw the
    default (regular) instance; stroking the outlines in the text colour gives bold text weight.
    The stroke colour and line width it changes are put back before the text object ends.
    """

    def __init__(self, canvas: Canvas, x: float = 0, y: float = 0, direction=None) -> None:
        super().__init__(canvas, x, y, direction=direction)
        self._stroked = False
        self._used_stroke = False

    def setFillColor(self, aColor, alpha=None) -> None:
        super().setFillColor(aColor, alpha)
        if self._stroked:
            super().setStrokeColor(aColor, alpha)
        self._fill = aColor

    def _formatText(self, text: str) -> str:
        code = super()._formatText(text)
        bold = self._fontname == FONT_BOLD
        if bold:
            self._used_stroke = True
            fill = getattr(self, "_fill", None) or self._canvas._fillColorObj
            super().setStrokeColor(fill)
            width = fp_str(self._fontsize * BOLD_STROKE)
            prefix = " ".join(self._code[len(self._code) - 1 :])  # the stroke colour just set
            self._code.pop()
            self._stroked = True
            self._textRenderMode = 2
            return f"{prefix} {width} w 2 Tr {code}"
        if self._stroked:
            self._stroked = False
            self._textRenderMode = 0
            return f"0 Tr {code}"
        return code

    def getCode(self) -> str:
        if self._used_stroke:
            if self._stroked:
                self._code.append("0 Tr")
            canvas = self._canvas
            self._code.append(f"{fp_str(canvas._lineWidth)} w")
            super().setStrokeColor(canvas._strokeColorObj)
        return super().getCode()


class ReportCanvas(Canvas):
    """Draws the page total into its form once every page exists (no second layout pass), gives
    the bold face its weight (BoldText) and embeds the report's data files."""

    attachments: Mapping[str, str] = {}  # read only; each render sets its own in a subclass
    created: datetime.datetime | None = None  # the revision's time; None: ReportLab's fixed date

    def beginText(self, x: float = 0, y: float = 0, direction=None) -> PDFTextObject:
        return BoldText(self, x, y, direction=direction)

    def save(self) -> None:
        total = self.getPageNumber() - 1 if not self._code else self.getPageNumber()
        if self._code:
            self.showPage()
        self.beginForm(TOTAL_FORM)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        embed_files(self, self.attachments)
        if self.created is not None:  # the info dictionary's CreationDate and ModDate
            stamp = self._doc._timeStamp
            stamp.YMDhms = self.created.astimezone(datetime.UTC).timetuple()[:6]
            stamp.dhh = stamp.dmm = 0
        # The producer's parentheses as octal escapes: the bytes reports have always carried.
        producer = str(self._doc.info.producer).replace("(", "\\050").replace(")", "\\051")
        self._doc.info.producer = PDFString(producer, escape=0)
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
    canvas.setFont(FONT, 110)  # regular: a stroked outline would ignore the fill's transparency
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -35, "DRAFT")
    canvas.restoreState()
    canvas.setFont(FONT_BOLD, 9)
    canvas.setFillColor(ALERT)
    canvas.drawCentredString(PAGE_WIDTH / 2, 6 * mm, "DRAFT: not submitted for review")


def build_pdf(
    story: list[Flowable],
    text: PageText,
    *,
    title: str,
    author: str,
    subject: str,
    attachments: Mapping[str, str],
    created: datetime.datetime | None = None,
) -> bytes:
    """Lays out the story on A4: a cover page template, then content pages; `attachments` (name
    -> text) are embedded in the file; `created` is its creation date (deterministic: the
    revision's own time, never "now")."""
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
        initialFontName=FONT,  # no reference to a font the file does not embed
        lang="en",
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
    canvas_class = type(
        "ReportCanvas", (ReportCanvas,), {"attachments": dict(attachments), "created": created}
    )
    document.build([NextPageTemplate("content"), *story], canvasmaker=canvas_class)
    return buffer.getvalue()


def content_width() -> float:
    return PAGE_WIDTH - 2 * MARGIN
