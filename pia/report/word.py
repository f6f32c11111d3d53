"""render_docx: a ReportDocument as a Word document (python-docx), in the PDF's content and order.

Section titles and headings use Word's own Heading styles, so the navigation pane lists them;
tables carry the heat maps, criteria, coverage and scales, cells coloured by risk level.

The body is written as WordprocessingML text and parsed once: building it element by element
through python-docx's object model took several times as long as rendering the PDF. python-docx
provides the package, the styles, the header and footer, and the file's properties.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from pia.report import blocks as b
from pia.report.levels import NO_LEVEL_COLOUR, text_colour_on
from pia.report.text import clean_text, one_line

ALERT = "A31B2A"
MUTED = "555F66"
HEADER_SHADE = "E8ECEF"
CONTENT_TWIPS = 9360  # the template's text width: 6.5 inches
STYLES = ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid")


def render_docx(document: b.ReportDocument, created: datetime.datetime | None = None) -> bytes:
    """The report as .docx bytes. `created` (the revision's time) becomes the file's creation
    date; without it the date is left at python-docx's template value, never "now"."""
    word = Document()
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    writer = BodyWriter(document, {name: word.styles[name].style_id for name in STYLES})
    body = parse_xml(f"<w:body {nsdecls('w')}>{writer.body()}</w:body>")
    end = word.element.body.sectPr
    for element in list(body):
        end.addprevious(element)
    _page_furniture(word, document)
    properties = word.core_properties
    properties.title = one_line(document.meta.title)
    properties.author = one_line(document.meta.author or document.meta.agency)
    properties.subject = document.subject
    properties.keywords = "privacy impact assessment; civil liberties; biometric surveillance"
    properties.comments = f"Fingerprint (SHA-256) {document.fingerprint}"
    properties.revision = 1
    if created is not None:
        properties.created = properties.modified = created
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def run(text: object, *, bold: bool = False, colour: str = "", size: float = 0) -> str:
    """One run of text; lines of its own stay lines (w:br). User text is cleaned of control
    characters, which XML cannot carry, and escaped."""
    properties = ""
    if bold:
        properties += "<w:b/>"
    if colour:
        properties += f"<w:color w:val={quoteattr(colour)}/>"
    if size:
        properties += f'<w:sz w:val="{round(size * 2)}"/>'
    lines = clean_text(text).split("\n")
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{texts}</w:r>"


class BodyWriter:
    """Blocks to WordprocessingML, in order."""

    def __init__(self, document: b.ReportDocument, style_ids: dict[str, str]) -> None:
        self.document = document
        self.style_ids = style_ids
        self.colours = document.level_colours
        self.parts: list[str] = []

    def body(self) -> str:
        for index, section in enumerate(self.document.sections):
            if index:
                self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            self.heading(one_line(section.title), 1)
            for block in section.blocks:
                self.block(block)
        return "".join(self.parts)

    def paragraph(self, runs: str, style: str = "") -> None:
        if style:
            style_id = quoteattr(self.style_ids[style])
            self.parts.append(f"<w:p><w:pPr><w:pStyle w:val={style_id}/></w:pPr>{runs}</w:p>")
        else:
            self.parts.append(f"<w:p>{runs}</w:p>")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(run(text), f"Heading {level}")

    def text(self, text: str, style: str = "body", label: str = "") -> None:
        runs = run(label + " ", bold=True) if label else ""
        if style == "alert":
            runs += run(text, bold=True, colour=ALERT)
        elif style in ("muted", "note", "evidence", "rule"):
            runs += run(text, colour=MUTED)
        elif style == "lead":
            runs += run(text, size=12)
        else:
            runs += run(text)
        self.paragraph(runs)

    def block(self, block: object) -> None:
        if isinstance(block, b.Heading):
            self.heading(block.text, 2 if block.level <= 2 else 3)
        elif isinstance(block, b.Text):
            self.text(block.text, block.style, block.label)
        elif isinstance(block, b.Facts):
            rows = [(b.Cell(label), b.Cell(value)) for label, value in block.rows]
            self.table((), rows, widths=(1, 2.7), label_column=True)
        elif isinstance(block, b.Table):
            if block.caption:
                self.text(block.caption, "muted")
            self.table(block.columns, block.rows, block.widths)
        elif isinstance(block, b.Bullets):
            self.bullets(block.items)
        elif isinstance(block, b.HeatMaps):
            self.heat_maps(block)
        elif isinstance(block, b.LevelChart):
            self.level_chart(block)
        elif isinstance(block, b.RatingGrid):
            rows = [
                (b.Cell(bar.label), *(b.Cell(marks, level) for marks, level in block.marks(bar)))
                for bar in block.bars
            ]
            columns = ("Criterion", *block.columns)
            self.table(columns, rows, (3, *([1] * len(block.columns))), label_column=True)
            self.text(block.LEGEND, "muted")
        elif isinstance(block, b.FindingView):
            self.finding(block)
        elif isinstance(block, b.AnswerEntry):
            self.answer(block)
        else:
            self.other(block)

    def level_chart(self, chart: b.LevelChart) -> None:
        """The criterion chart as a table; with the board's rating beside the engine's."""
        rows = []
        for bar in chart.bars:
            row = [b.Cell(bar.label), b.Cell(bar.level or "No findings", bar.level)]
            if chart.board:
                row.append(b.Cell(bar.board_level or "Not rated", bar.board_level))
            rows.append((*row, b.Cell(str(bar.findings))))
        if chart.board:
            columns = ("Criterion", "Engine's rating (residual)", "Board's rating", "Findings")
            self.table(columns, rows, (5, 2, 2, 1))
        else:
            self.table(("Criterion", "Residual level", "Findings"), rows, (5, 2, 1))

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(run(item), "List Bullet")

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[b.Cell]],
        widths: Sequence[float] = (),
        *,
        label_column: bool = False,
    ) -> None:
        count = len(columns) or max((len(row) for row in rows), default=1)
        weights = list(widths) if len(widths) == count else [1.0] * count
        twips = [round(CONTENT_TWIPS * weight / sum(weights)) for weight in weights]
        style = quoteattr(self.style_ids["Table Grid"])
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val={style}/><w:tblW w:w="0" w:type="auto"/>'
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{width}"/>' for width in twips),
            "</w:tblGrid>",
        ]
        if len(columns) > 1:  # a header row, repeated on every page the table runs onto
            parts.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>')
            for width, column in zip(twips, columns, strict=True):
                parts.append(_cell(width, run(column, bold=True), HEADER_SHADE))
            parts.append("</w:tr>")
        for row in rows:
            parts.append("<w:tr>")
            for index, (width, cell) in enumerate(zip(twips, row, strict=False)):
                if cell.level is not None:
                    background = self.colours.get(cell.level, NO_LEVEL_COLOUR)
                    ink = text_colour_on(background).lstrip("#").upper()
                    content = run(cell.text, colour=ink)
                    parts.append(_cell(width, content, background.lstrip("#").upper()))
                else:
                    content = run(cell.text, bold=label_column and index == 0)
                    parts.append(_cell(width, content))
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.parts.append("".join(parts))
        self.parts.append("<w:p/>")  # Word needs a paragraph between adjacent tables

    def heat_maps(self, heat: b.HeatMaps) -> None:
        grids = (("Before mitigation", heat.inherent), ("After mitigation", heat.residual))
        for title, counts in grids:
            self.heading(title, 3)
            columns = ("Severity / likelihood", *heat.likelihood_names)
            rows = []
            for severity in range(len(heat.severity_names), 0, -1):
                row = [b.Cell(f"{heat.severity_names[severity - 1]} ({severity})")]
                for likelihood in range(1, len(heat.likelihood_names) + 1):
                    level = heat.matrix[severity - 1][likelihood - 1]
                    count = counts[severity - 1][likelihood - 1]
                    row.append(b.Cell(f"{count} · {level}" if count else level, level))
                rows.append(row)
            self.table(columns, rows, (2, *([1] * len(heat.likelihood_names))), label_column=True)

    def finding(self, view: b.FindingView) -> None:
        self.heading(f"{view.residual_level}: {view.title}", 3)
        for line in clean_text(view.explanation).split("\n"):
            if line.strip():
                self.text(line)
        self.text(view.inherent, label="Before mitigation:")
        self.text(view.residual, label="After mitigation:")
        if view.justification:
            self.text(view.justification, label="Why this rating:")
        self.text(f"Rule {view.rule}", "rule")
        lists = (
            ("Triggered by these answers", [f"{q}: {a}" for q, a in view.triggers]),
            ("Safeguards that lowered the risk", view.mitigations),
            ("Recommended actions", view.actions),
            ("Sources", view.citations),
        )
        for title, items in lists:
            if items:
                self.paragraph(run(title, bold=True))
                self.bullets(items)

    def answer(self, entry: b.AnswerEntry) -> None:
        required = " (required)" if entry.required else ""
        self.paragraph(run(f"{entry.text}{required}", bold=True))
        if entry.answer:
            self.paragraph(run(entry.answer))
        else:
            self.text("Not answered", "muted")
        if entry.problem:
            self.text(f"Not accepted: {entry.problem}", "alert")
        if entry.note:
            self.text(entry.note, "note", label="Note:")
        for line in entry.evidence:
            self.text(
                f"{line.filename} · {line.size} bytes · SHA-256 {line.sha256}",
                "evidence",
                label="Evidence:",
            )

    def other(self, block: object) -> None:
        """A block kind added after this renderer: its text fields, so nothing is lost."""
        if not dataclasses.is_dataclass(block):
            raise TypeError(f"no Word rendering for {type(block).__name__}")
        for spec in dataclasses.fields(block):
            value = getattr(block, spec.name)
            if isinstance(value, str) and value.strip():
                self.text(value)


def _cell(width: int, runs: str, fill: str = "") -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr><w:p>{runs}</w:p></w:tc>'
    )


def _page_furniture(word, document: b.ReportDocument) -> None:
    """Running header; footer with the bank, the fingerprint and the page number; DRAFT."""
    section = word.sections[0]
    header = section.header.paragraphs[0]._p
    for element in _runs(run(document.running_header, colour=MUTED, size=8)):
        header.append(element)
    footer = section.footer.paragraphs[0]._p
    text = (
        f"{document.bank_id} {document.bank_version} · fingerprint "
        f"{document.fingerprint[:16]} · page "
    )
    page = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve">PAGE</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for element in _runs(run(text, colour=MUTED, size=8) + page):
        footer.append(element)
    if document.is_draft:
        draft = section.footer.add_paragraph()._p
        for element in _runs(run("DRAFT: not submitted for review", bold=True, colour=ALERT)):
            draft.append(element)


def _runs(xml: str) -> list:
    return list(parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"))
