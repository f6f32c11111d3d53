"""ShapedText: a paragraph in any script, and draw_line for one line of page furniture.

Lines are broken in logical order (between words, and between any two CJK characters, which are
written without spaces), then each line is laid out by pia.report.shaping: runs of one font and
direction, shaped, in visual order. A paragraph whose first strong character is right-to-left is
right-aligned, as dir="auto" does in the HTML. Layout otherwise follows PlainText: lines `leading`
apart, the first baseline `fontSize` below the top, a bullet at `bulletIndent`.
"""

from __future__ import annotations

import functools
import unicodedata

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from pia.report.fonts import FONT, FONT_BOLD
from pia.report.script_fonts import FontSet, bold_name, font_set
from pia.report.shaping import GlyphRun, base_level, font_runs, shape, visual_runs

_BREAK_ANYWHERE = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _breaks_anywhere(char: str) -> bool:
    code = ord(char)
    return any(start <= code <= end for start, end in _BREAK_ANYWHERE)


@functools.lru_cache(maxsize=16384)
def text_width(text: str) -> float:
    """Width of `text` shaped, in 1/1000 em of the font size."""
    fonts = font_set()
    rtl = bool(base_level(text))
    return sum(shape(font, piece, rtl).width for font, piece in font_runs(text, fonts))


def _tokens(line: str) -> list[tuple[str, str]]:
    """(piece, separator after it): words, and single CJK characters, which may end a line."""
    tokens: list[tuple[str, str]] = []
    for word in line.split(" "):
        if not word:
            continue
        current = ""
        for char in word:
            if _breaks_anywhere(char):
                if current:
                    tokens.append((current, ""))
                    current = ""
                tokens.append((char, ""))
            elif current and _breaks_anywhere(current[-1]):
                tokens.append((current, ""))
                current = char
            else:
                current += char
        if current:
            tokens.append((current, ""))
        tokens[-1] = (tokens[-1][0], " ")
    if tokens:
        tokens[-1] = (tokens[-1][0], "")
    return tokens


def break_lines(text: str, limit: float) -> list[str]:
    """Lines of `text` (logical order) at most `limit` wide (1/1000 em); a word wider than a line
    is cut between characters, never before a combining mark."""
    lines: list[str] = []
    space = text_width(" ")
    for hard_line in text.split("\n"):
        line, width = "", 0.0
        for piece, separator in _pieces(_tokens(hard_line), limit):
            piece_width = text_width(piece)
            if line and width + piece_width > limit:
                lines.append(line.rstrip(" "))
                line, width = "", 0.0
            line += piece + separator
            width += piece_width + (space if separator else 0.0)
        lines.append(line.rstrip(" "))
    return lines


def _pieces(tokens: list[tuple[str, str]], limit: float) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for piece, separator in tokens:
        if text_width(piece) <= limit:
            pieces.append((piece, separator))
            continue
        chunk = ""
        for char in piece:
            joins = unicodedata.category(char)[0] == "M"
            if chunk and not joins and text_width(chunk + char) > limit:
                pieces.append((chunk, ""))
                chunk = ""
            chunk += char
        pieces.append((chunk, separator))
    return pieces


def draw_runs(
    canvas: Canvas, x: float, y: float, runs: list[GlyphRun], size: float, colour: Color, bold: bool
) -> None:
    """Draws shaped runs from `x` on baseline `y`."""
    text = canvas.beginText()
    text.setFillColor(colour)
    scale = size / 1000
    for run in runs:
        text.setFont(bold_name(run.font) if bold else run.font, size)
        # Where glyphs do not spell the text (conjuncts, reordered vowel signs, Arabic letters
        # built from a shared form and dots), each cluster carries its characters as
        # /ActualText, so copying and searching find the letters.
        spelled = "".join(g.code for g in run.glyphs) == (run.text[::-1] if run.rtl else run.text)
        cluster = None
        for glyph in run.glyphs:
            if not spelled and glyph.cluster != cluster:
                if cluster is not None:
                    text._code.append("EMC")
                cluster = glyph.cluster
                hex_text = glyph.source.encode("utf-16-be").hex().upper()
                text._code.append(f"/Span <</ActualText <FEFF{hex_text}>>> BDC")
            text.setTextOrigin(x + glyph.x * scale, y + glyph.y * scale)
            text.textOut(glyph.code)
        if cluster is not None:
            text._code.append("EMC")
        x += run.width * scale
    canvas.drawText(text)


def line_width(text: str, size: float) -> float:
    return text_width(text) * size / 1000


def draw_line(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    colour: Color,
    *,
    bold: bool = False,
    right: bool = False,
) -> None:
    """One line of page furniture (the running header): `right` aligns its end at `x`."""
    fonts = font_set()
    runs = visual_runs(text, base_level(text), fonts)
    width = sum(run.width for run in runs) * size / 1000
    draw_runs(canvas, x - width if right else x, y, runs, size, colour, bold)


class ShapedText(Flowable):
    """Text in any script, in one style; see the module docstring."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bullet = bullet
        self.base = base_level(text)
        self.lines: list[str] = []
        self.width = self.height = 0

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def _limit(self, available_width: float) -> float:
        style = self.style
        usable = available_width - style.leftIndent - style.rightIndent
        return max(usable, style.fontSize) * 1000 / style.fontSize

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.lines or available_width != self.width:
            self.lines = break_lines(self.text, self._limit(available_width))
        self.width = available_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height / self.style.leading)
        if fit <= 1:
            return []
        if fit >= len(self.lines):
            return [self]
        head = ShapedText("\n".join(self.lines[:fit]), self.style, self.bullet)
        tail = ShapedText("\n".join(self.lines[fit:]), self.style)
        head.base = tail.base = self.base
        return [head, tail]

    def draw(self) -> None:
        style, canvas = self.style, self.canv
        fonts: FontSet = font_set()
        if style.backColor or (style.borderWidth and style.borderColor):
            pad = style.borderPadding if isinstance(style.borderPadding, (int, float)) else 0
            canvas.saveState()
            if style.backColor:
                canvas.setFillColor(style.backColor)
            if style.borderWidth and style.borderColor:
                canvas.setStrokeColor(style.borderColor)
                canvas.setLineWidth(style.borderWidth)
            canvas.rect(
                style.leftIndent - pad,
                -pad,
                self.width - style.leftIndent - style.rightIndent + 2 * pad,
                self.height + 2 * pad,
                fill=1 if style.backColor else 0,
                stroke=1 if style.borderWidth and style.borderColor else 0,
            )
            canvas.restoreState()
        baseline = self.height - style.fontSize
        if self.bullet:
            mark = canvas.beginText(style.bulletIndent, baseline)
            mark.setFont(style.bulletFontName or FONT, style.bulletFontSize)
            mark.setFillColor(style.textColor)
            mark.textOut(self.bullet)
            canvas.drawText(mark)
        bold = style.fontName == FONT_BOLD
        size = style.fontSize
        for line in self.lines:
            runs = visual_runs(line, self.base, fonts)
            width = sum(run.width for run in runs) * size / 1000
            if self.base or style.alignment == 2:
                x = self.width - style.rightIndent - width
            elif style.alignment == 1:
                x = (self.width - width) / 2
            else:
                x = style.leftIndent
            draw_runs(canvas, x, baseline, runs, size, style.textColor, bold)
            baseline -= style.leading
