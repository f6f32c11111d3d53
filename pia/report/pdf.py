"""render_pdf: a ReportDocument laid out with ReportLab platypus."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paraparser import ParaParser

from pia.report import blocks as b
from pia.report.charts import heat_map_drawing, level_bar_drawing
from pia.report.fonts import FONT, register_fonts
from pia.report.levels import NO_LEVEL_COLOUR, text_colour_on
from pia.report.meta import meta_time
from pia.report.pdf_page import HEADER_CHARS, OutlineEntry, PageText, build_pdf, content_width
from pia.report.pdf_styles import RULE, SHADE, Styles, make_styles
from pia.report.plain_text import PlainText, WordWidths, fits_plainly
from pia.report.rating_grid import rating_grid_flowables
from pia.report.script_fonts import describe, font_set, missing_note
from pia.report.shaped_text import ShapedText
from pia.report.shaping import needs_layout, printable
from pia.report.text import clean_text, limit_to_font, one_line, to_markup

COVER_VALUE_CHARS = 300  # cover cells must fit on the cover page
COVER_TITLE_CHARS = 300
# Start a finding or an answer on a new page rather than leave its first lines alone at the foot
# of one (cheaper than KeepTogether, which lays everything out twice).
FINDING_MIN_SPACE = 130
QUESTION_MIN_SPACE = 45
LONG_CELL_CHARS = 1500
LABEL_MIN_SPACE = 36
# Table cells hold paragraphs, but ReportLab still selects the cell style's font (Helvetica by
# default) while drawing them; name the embedded font so no other font is referenced.
CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), FONT)]  # a list's title never ends a page alone


class PdfWriter:
    """Turns blocks into flowables; every piece of text passes through `markup` first."""

    def __init__(self, document: b.ReportDocument, drawable: Container[int]) -> None:
        self.document = document
        self.drawable = drawable
        self.styles: Styles = make_styles()
        self.colours: Mapping[str, str] = document.level_colours
        self.width = content_width()
        self._fragments: dict[str, Any] = {}  # style name -> parsed fragment to copy
        self.word_widths = WordWidths()
        self._finding_labels: dict[tuple[str, str, str], list[Any]] = {}
        self.fonts = font_set()
        self.unprintable: set[int] = set()  # code points no font prints, listed on the cover

    def markup(self, text: object) -> str:
        return to_markup(text, self.drawable)

    def printable(self, text: str) -> str:
        """`text` with each character no font can print shown as a marked placeholder."""
        if all(printable(ord(char), self.fonts) or char == "\n" for char in set(text)):
            return text
        kept = []
        for char in text:
            if char == "\n" or printable(ord(char), self.fonts):
                kept.append(char)
            else:
                self.unprintable.add(ord(char))
                kept.append(f"[U+{ord(char):04X}]")
        return "".join(kept)

    def shaped(self, text: str, style: str, bullet: str | None = None) -> Flowable:
        """Text that needs other fonts, shaping or right-to-left layout (pia.report.shaping)."""
        return ShapedText(self.printable(text), getattr(self.styles, style), bullet)

    def para(self, text: object, style: str = "body", label: str = "") -> Flowable:
        cleaned = clean_text(text)
        if needs_layout(cleaned) or needs_layout(label):
            joined = f"{clean_text(label)} {cleaned}" if label else cleaned
            return self.shaped(" ".join(joined.split()), style)
        if not label:
            plain = " ".join(limit_to_font(clean_text(text), self.drawable).split())
            if plain:
                return self._plain(plain, style)
        content = self.markup(text)
        if label:
            content = f"<b>{self.markup(label)}</b> {content}"
        return Paragraph(content, getattr(self.styles, style))

    def _plain(self, text: str, style_name: str, bullet: str | None = None) -> Flowable:
        """A paragraph of plain text in one style: a PlainText where it draws the style as
        Paragraph would, else a Paragraph built from a ready fragment. Nothing is parsed as
        markup (so nothing needs escaping)."""
        style = getattr(self.styles, style_name)
        if fits_plainly(style):
            return PlainText(text.split(" "), style, self.word_widths, bullet)
        template = self._fragments.get(style_name)
        if template is None:
            template = ParaParser().parse("x", style)[1][0]
            self._fragments[style_name] = template
        return Paragraph(text, style, bulletText=bullet, frags=[template.clone(text=text)])

    def story(self) -> list[Flowable]:
        flowables: list[Flowable] = []
        for index, section in enumerate(self.document.sections):
            if index:
                flowables.append(PageBreak())
            flowables.extend(self.section(section))
        return flowables

    def section(self, section: b.Section) -> list[Flowable]:
        cover = section.id == "cover"
        title = one_line(section.title)
        if cover and len(title) > COVER_TITLE_CHARS:
            title = title[:COVER_TITLE_CHARS] + "…"
        flowables: list[Flowable] = [
            OutlineEntry(section.id, one_line(section.title), 0),
            self.para(title, "title" if cover else "h1"),
        ]
        for block in section.blocks:
            flowables.extend(self.block(block, cover=section.id == "cover"))
        return flowables

    def block(self, block: b.Block, *, cover: bool = False) -> list[Flowable]:
        if isinstance(block, b.Heading):
            style = "h2" if block.level <= 2 else "h3"
            items: list[Flowable] = [CondPageBreak(60), self.para(block.text, style)]
            if block.anchor and block.level <= 2:
                items.insert(1, OutlineEntry(block.anchor, one_line(block.text), 1))
            return items
        if isinstance(block, b.Text):
            return [self.para(block.text, block.style, block.label)]
        if isinstance(block, b.Facts):
            return [self.facts(block, cover)]
        if isinstance(block, b.Table):
            return [self.table(block)]
        if isinstance(block, b.Bullets):
            return self.bullets(block.items, "bullet")
        if isinstance(block, b.HeatMaps):
            return [Spacer(1, 6), heat_map_drawing(block, self.colours), Spacer(1, 10)]
        if isinstance(block, b.LevelChart):
            return [self.level_chart(block)]
        if isinstance(block, b.RatingGrid):
            return rating_grid_flowables(block, self.para, self.colours, self.width)
        if isinstance(block, b.FindingView):
            return self.finding(block)
        if isinstance(block, b.AnswerEntry):
            return self.answer(block)
        raise TypeError(f"no PDF rendering for {type(block).__name__}")

    def cell(self, cell: b.Cell, style: str = "cell") -> Flowable:
        return self.para(cell.text, style)

    def facts(self, facts: b.Facts, cover: bool) -> Table:
        rows = []
        for label, value in facts.rows:
            if cover and len(value) > COVER_VALUE_CHARS:
                value = value[:COVER_VALUE_CHARS] + "…"
            rows.append([self.para(label, "cell_head"), self.para(value, "cell")])
        table = Table(
            rows,
            colWidths=[0.27 * self.width, 0.73 * self.width],
            splitInRow=_split_rows(value for _, value in facts.rows),
        )
        table.setStyle(
            TableStyle(
                [
                    *CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        return table

    def table(self, table: b.Table) -> Table:
        weights = table.widths or (1.0,) * len(table.columns)
        total = sum(weights)
        widths = [self.width * weight / total for weight in weights]
        rows: list[list[Flowable]] = []
        commands: list[tuple] = [
            *CELL_FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        header = len(table.columns) > 1
        if header:
            rows.append([self.para(column, "cell_head") for column in table.columns])
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        for row_index, row in enumerate(table.rows, start=1 if header else 0):
            rows.append([self.cell(cell) for cell in row])
            for column, cell in enumerate(row):
                if cell.level is not None:
                    background = self.colours.get(cell.level, NO_LEVEL_COLOUR)
                    commands.append(
                        (
                            "BACKGROUND",
                            (column, row_index),
                            (column, row_index),
                            colors.HexColor(background),
                        )
                    )
                    rows[-1][column] = self._on_colour(cell.text, background)
        result = Table(
            rows,
            colWidths=widths,
            repeatRows=1 if header else 0,
            splitInRow=_split_rows(cell.text for row in table.rows for cell in row),
        )
        result.setStyle(TableStyle(commands))
        return result

    def _on_colour(self, text: str, background: str) -> Flowable:
        """A table cell's text in the colour that reads on the cell's level colour (white on
        Prohibited). The style is set before the text is laid out: fragments keep their colour."""
        ink = text_colour_on(background)
        style = self.styles.cell.clone(f"cell_{ink}", textColor=colors.HexColor(ink))
        if needs_layout(clean_text(text)):
            return ShapedText(self.printable(one_line(text)), style)
        return Paragraph(self.markup(text), style)

    def bullets(self, items: tuple[str, ...], style: str = "item") -> list[Flowable]:
        # Paragraphs with a bullet are much cheaper to lay out than a ListFlowable.
        flowables: list[Flowable] = []
        for item in items:
            text = clean_text(item)
            if needs_layout(text):
                flowables.append(self.shaped(text.strip(), style, "•"))
                continue
            plain = " ".join(limit_to_font(text, self.drawable).split())
            if plain and "\n" not in text.strip():
                flowables.append(self._plain(plain, style, "•"))
            else:  # lines of its own stay lines (<br/>)
                flowables.append(
                    Paragraph(self.markup(item), getattr(self.styles, style), bulletText="•")
                )
        return flowables

    def level_chart(self, chart: b.LevelChart) -> Table:
        if chart.board:
            return self.level_chart_with_board(chart)
        bar_width = 0.3 * self.width
        rows = []
        for bar in chart.bars:
            level = bar.level or "No findings"
            rows.append(
                [
                    self.para(bar.label, "cell"),
                    level_bar_drawing(
                        bar.rank, len(chart.levels), bar.level, self.colours, width=bar_width
                    ),
                    self.para(f"{level} ({bar.findings})" if bar.findings else level, "cell"),
                ]
            )
        table = Table(rows, colWidths=[0.5 * self.width, bar_width + 8, 0.2 * self.width - 8])
        table.setStyle(self._chart_style())
        return table

    def level_chart_with_board(self, chart: b.LevelChart) -> Table:
        """Each criterion with two labelled bars: the engine's level and the board's."""
        bar_width = 0.18 * self.width
        rows: list[list[Any]] = [
            [
                self.para("Criterion", "cell_head"),
                self.para("Engine's rating", "cell_head"),
                "",
                self.para("Board's rating", "cell_head"),
                "",
            ]
        ]
        levels = len(chart.levels)
        for bar in chart.bars:
            rows.append(
                [
                    self.para(bar.label, "cell"),
                    level_bar_drawing(bar.rank, levels, bar.level, self.colours, width=bar_width),
                    self.para(bar.level or "No findings", "cell"),
                    level_bar_drawing(
                        bar.board_rank, levels, bar.board_level, self.colours, width=bar_width
                    ),
                    self.para(bar.board_level or "Not rated", "cell"),
                ]
            )
        share = 0.32 * self.width
        rest = (self.width - share - 2 * (bar_width + 8)) / 2
        table = Table(
            rows, colWidths=[share, bar_width + 8, rest, bar_width + 8, rest], repeatRows=1
        )
        table.setStyle(self._chart_style())
        return table

    @staticmethod
    def _chart_style() -> TableStyle:
        return TableStyle(
            [
                *CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )

    def finding(self, view: b.FindingView) -> list[Flowable]:
        background = self.colours.get(view.residual_level, NO_LEVEL_COLOUR)
        ink = text_colour_on(background)
        head = self._finding_head(view.residual_level, background, ink, view.title)
        parts: list[Flowable] = [
            *self.lines(view.explanation),
            self.para(f"Before mitigation: {view.inherent}", "rating"),
            self.para(f"After mitigation: {view.residual}", "rating"),
        ]
        if view.justification:
            parts.append(self.para(f"Why this rating: {view.justification}", "rating"))
        parts.append(self.para(f"Rule {view.rule}", "rule"))
        lists = (
            ("Triggered by these answers", [f"{q}: {a}" for q, a in view.triggers], "item"),
            ("Safeguards that lowered the risk", view.mitigations, "item"),
            ("Recommended actions", view.actions, "item"),
            ("Sources", view.citations, "small_item"),
        )
        for title, items, style in lists:
            if items:
                parts += [CondPageBreak(LABEL_MIN_SPACE), self.para(title, "label")]
                parts += self.bullets(tuple(items), style)
        return [CondPageBreak(FINDING_MIN_SPACE), Spacer(1, 8), head, *parts, Spacer(1, 4)]

    def _finding_head(self, level: str, background: str, ink: str, title: str) -> Flowable:
        """One paragraph, the level as a coloured label (far cheaper than a two-cell table).
        The label's markup is parsed once per level; the title is appended as a plain fragment
        (not parsed: most of a finding head's cost)."""
        key = (level, background, ink)
        label = self._finding_labels.get(key)
        style = self.styles.finding_title
        if needs_layout(clean_text(title)):  # a bank written in another script
            return self.shaped(f"{level} · {one_line(title)}", "finding_title")
        if label is None:
            markup = (
                f"<font backColor='{background}' color='{ink}'>&#160;{self.markup(level)}"
                "&#160;</font>&#160;"
            )
            label = self._finding_labels[key] = ParaParser().parse(markup, style)[1]
        plain = " ".join(limit_to_font(clean_text(title), self.drawable).split())
        frags = [frag.clone() for frag in label]
        frags.append(label[-1].clone(text=f" {plain}"))
        return Paragraph("", style, frags=frags)

    def lines(self, text: str, style: str = "body") -> list[Flowable]:
        """One paragraph per line of `text`. Paragraphs of a single style and no inline markup
        lay out several times faster than ones with <br/> or font changes inside."""
        flowables: list[Flowable] = []
        for line in clean_text(text).split("\n"):
            if line.strip():
                flowables.append(self.para(line, style))
            elif flowables:
                flowables.append(Spacer(1, 4))
        return flowables or [self.para("", style)]

    def answer(self, entry: b.AnswerEntry) -> list[Flowable]:
        required = " (required)" if entry.required else ""
        items: list[Flowable] = [
            CondPageBreak(QUESTION_MIN_SPACE),
            self.para(f"{entry.text}{required} · {entry.question}", "question"),
        ]
        if entry.answer:
            items += self.lines(entry.answer, "answer")
        else:
            items.append(self.para("Not answered", "unanswered"))
        if entry.problem:
            items.append(self.para(f"Not accepted: {entry.problem}", "alert"))
        if entry.note:
            items += self.lines(f"Note: {entry.note}", "note")
        for line in entry.evidence:
            items.append(
                self.para(
                    f"Evidence: {line.filename} · {line.size} bytes · SHA-256 {line.sha256}",
                    "evidence",
                )
            )
        return items

    def unprintable_note(self) -> Flowable:
        listed = ", ".join(describe(code) for code in sorted(self.unprintable))
        return self.para(
            "Some characters in this report cannot be printed with the fonts installed; each is "
            f"shown as [U+code] where it occurs: {listed}."
            + missing_note(self.fonts, self.unprintable),
            "alert",
            label="Not printed.",
        )


def _split_rows(texts: Iterable[str]) -> int:
    """1 (let a row break across pages) only when some cell could be taller than a page: rows
    that stay whole read better, but a row taller than the frame could not be laid out at all."""
    return int(any(len(text) > LONG_CELL_CHARS for text in texts))


def render_pdf(document: b.ReportDocument, attachments: Mapping[str, str] | None = None) -> bytes:
    """The report as PDF bytes, with `attachments` (name -> text) embedded: the same document
    always gives the same bytes."""
    drawable = register_fonts()
    writer = PdfWriter(document, drawable)
    header = one_line(document.meta.title)
    if len(header) > HEADER_CHARS:
        header = header[: HEADER_CHARS - 1] + "…"
    footer = f"{document.bank_id} {document.bank_version} · fingerprint {document.fingerprint[:16]}"
    text = PageText(
        header=writer.printable(header) if needs_layout(header) else to_plain(header, drawable),
        status=to_plain(document.status_label, drawable),
        footer=to_plain(footer, drawable),
        draft=document.is_draft,
    )
    story = writer.story()
    if writer.unprintable:
        story[2:2] = [writer.unprintable_note()]  # on the cover, under the title
    return build_pdf(
        story,
        text,
        title=one_line(document.meta.title),
        author=one_line(document.meta.author or document.meta.agency),
        subject=document.subject,
        attachments=attachments or {},
        created=meta_time(document.meta),
    )


def to_plain(text: str, drawable: Container[int]) -> str:
    """Text for canvas.drawString: no markup involved, but only characters the font has."""
    return limit_to_font(one_line(text), drawable)
