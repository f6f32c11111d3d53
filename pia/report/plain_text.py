"""PlainText: a paragraph of plain text in one style, laid out and drawn without Paragraph.

Most of the report (answers, finding explanations, list items) is plain text in one font, size
and colour. ReportLab's Paragraph is built for mixed markup: it measures and draws every word as a
fragment. This flowable breaks lines from word widths measured once per render and draws all its
lines with one text object, several times cheaper. It follows Paragraph's layout for such text
(same line breaks, positions and spacing):
left aligned, lines `leading` apart, first baseline `fontSize` below the top, an optional bullet
at `bulletIndent`, and no single first line left at the foot of a frame (allowOrphans=0).
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable


class WordWidths:
    """Word widths per (font, size), measured once per render: answers repeat words a lot."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, float], dict[str, float]] = {}

    def table(self, font_name: str, font_size: float) -> dict[str, float]:
        key = (font_name, font_size)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = {}
        return table

    def measure(self, words: list[str], font_name: str, font_size: float) -> list[float]:
        table = self.table(font_name, font_size)
        width = getFont(font_name).stringWidth
        for word in words:
            if word not in table:
                table[word] = width(word, font_size)
        return [table[word] for word in words]


def fits_plainly(style: ParagraphStyle) -> bool:
    """Whether PlainText draws `style` as Paragraph would (no boxes, left aligned, no indents
    beyond the left one)."""
    return (
        not style.backColor
        and not (style.borderWidth and style.borderColor)
        and style.alignment == 0
        and not style.firstLineIndent
        and not style.rightIndent
    )


class PlainText(Flowable):
    """Words (already single-spaced, no markup) set in `style`; see the module docstring."""

    def __init__(
        self,
        words: list[str],
        style: ParagraphStyle,
        widths: WordWidths,
        bullet: str | None = None,
    ) -> None:
        super().__init__()
        self.words = words
        self.style = style
        self.widths = widths
        self.bullet = bullet
        self.lines: list[tuple[str, float]] = []  # (text, word spacing that squeezes it in)
        self.width = self.height = 0

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def break_lines(self, available_width: float) -> list[tuple[str, float]]:
        style = self.style
        limit = available_width - style.leftIndent
        space = self.widths.measure([" "], style.fontName, style.fontSize)[0]
        shrink = rl_config.spaceShrinkage * space  # per space, as Paragraph lets a line squeeze
        lines: list[tuple[str, float]] = []
        line: list[str] = []
        line_width = 0.0

        def finish() -> None:
            # a line let over the width by spaceShrinkage has its spaces narrowed to fit
            squeeze = limit - line_width
            spacing = squeeze / (len(line) - 1) if squeeze < -1e-8 and len(line) > 1 else 0.0
            lines.append((" ".join(line), spacing))

        for word, width in self._pieces(limit):
            if line and line_width + space + width > limit + shrink * len(line):
                finish()
                line, line_width = [], 0.0
            if line:
                line_width += space + width
            else:
                line_width = width
            line.append(word)
        if line:
            finish()
        return lines

    def _pieces(self, limit: float) -> list[tuple[str, float]]:
        """Words with their widths; a word wider than a line is cut into pieces that fit
        (splitLongWords), as a long URL or hash would otherwise run off the page."""
        style = self.style
        measured = self.widths.measure(self.words, style.fontName, style.fontSize)
        if max(measured, default=0) <= limit:
            return list(zip(self.words, measured, strict=True))
        pieces: list[tuple[str, float]] = []
        for word, width in zip(self.words, measured, strict=True):
            if width <= limit:
                pieces.append((word, width))
                continue
            chars = self.widths.measure(list(word), style.fontName, style.fontSize)
            start, used = 0, 0.0
            for index, char_width in enumerate(chars):
                if used + char_width > limit and index > start:
                    pieces.append((word[start:index], used))
                    start, used = index, 0.0
                used += char_width
            pieces.append((word[start:], used))
        return pieces

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.lines and available_width == self.width:  # laid out at this width already
            return self.width, self.height
        self.lines = self.break_lines(available_width)
        self.width = available_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if not self.lines or self.width != available_width:
            self.wrap(available_width, available_height)
        fit = int(available_height / self.style.leading)
        if fit <= 1:  # no room, or room for a lone first line only
            return []
        if fit >= len(self.lines):
            return [self]
        head = self._part(self.lines[:fit], self.bullet)
        tail = self._part(self.lines[fit:], None)
        return [head, tail]

    def _part(self, lines: list[tuple[str, float]], bullet: str | None) -> PlainText:
        part = PlainText([], self.style, self.widths, bullet)
        part.words = " ".join(text for text, _ in lines).split(" ")
        part.lines = lines
        part.width = self.width
        part.height = len(lines) * self.style.leading
        return part

    def draw(self) -> None:
        style = self.style
        canvas = self.canv
        baseline = self.height - style.fontSize
        if self.bullet:
            mark = canvas.beginText(
                style.bulletIndent, baseline + getattr(style, "bulletOffsetY", 0)
            )
            mark.setFont(style.bulletFontName, style.bulletFontSize)
            mark.setFillColor(getattr(style, "bulletColor", style.textColor))
            mark.textOut(self.bullet)
            canvas.drawText(mark)
        text = canvas.beginText(style.leftIndent, baseline)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.setFillColor(style.textColor)
        for line, spacing in self.lines:
            if spacing:
                text.setWordSpace(spacing)
                text.textLine(line)
                text.setWordSpace(0)
            else:
                text.textLine(line)
        canvas.drawText(text)
