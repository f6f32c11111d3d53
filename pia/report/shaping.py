"""Text to positioned glyphs: fonts chosen per run of characters, bidi order, HarfBuzz shaping.

For text that Noto Sans cannot print alone (another script, right-to-left, or marks to position),
a line is cut into runs of one font and one bidi level; each run is shaped by HarfBuzz (uharfbuzz)
in its direction; the runs are put in visual order by the Unicode bidi algorithm (python-bidi's
reference implementation for the levels, rule L2 here). A glyph that no character maps to (a
ligature, a conjunct, a contextual Arabic form) is drawn through a private-use code fixed by its
glyph id, so the same text always gives the same bytes whatever was rendered before; the run's
real text travels with each cluster as /ActualText for copying and searching.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from bidi import algorithm as uba
from reportlab.pdfbase import pdfmetrics

from pia.report.fonts import FONT
from pia.report.script_fonts import FontSet, font_set

PRIVATE_START = 0xE000  # + glyph id: a glyph without a character of its own
PRIVATE_END = 0xF8FF
_INHERITING = ("M", "Z", "P", "N", "S", "C")  # categories that keep the font of the text around
_RTL = ("R", "AL")
_LAYOUT_RANGES = (  # scripts whose letters combine or reorder: always shaped
    (0x0300, 0x036F),
    (0x0590, 0x08FF),
    (0x0900, 0x0DFF),
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0xFB1D, 0xFEFF),
)


@dataclass(frozen=True)
class Glyph:
    code: str  # the character ReportLab draws (the glyph's own, or a private-use one)
    x: float  # offset from the run's start, in 1/1000 em
    y: float
    advance: float
    cluster: int  # index in the run's text of the first character it draws
    source: str  # the characters of its cluster (a conjunct's or a ligature's several)


@dataclass(frozen=True)
class GlyphRun:
    font: str
    text: str  # the characters, in logical order
    rtl: bool
    glyphs: tuple[Glyph, ...]  # in visual order
    width: float  # in 1/1000 em


@functools.cache
def _simple_char(code: int) -> bool:
    """Noto Sans prints it as it is: no other font, no shaping, no right-to-left."""
    char = chr(code)
    if code not in font_set().fonts[FONT].covers:
        return False
    if unicodedata.bidirectional(char) in ("R", "AL", "AN", "RLE", "RLO", "RLI"):
        return False
    if unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf"):
        return False
    return not any(start <= code <= end for start, end in _LAYOUT_RANGES)


def needs_layout(text: str) -> bool:
    """Whether `text` needs fonts other than Noto Sans, shaping or bidi."""
    if text.isascii():
        return False
    return not all(_simple_char(ord(char)) for char in set(text) if char != "\n")


def printable(code: int, fonts: FontSet) -> bool:
    """Some font draws it, or it is invisible by nature (a joiner, a variation selector), which
    the shaper hides."""
    if unicodedata.category(chr(code)) == "Cf" or 0xFE00 <= code <= 0xFE0F:
        return True
    return any(code in font.covers for font in fonts.fonts.values())


def font_runs(text: str, fonts: FontSet) -> list[tuple[str, str]]:
    """(font name, text) runs in logical order. Marks, spaces, punctuation and digits stay in the
    run around them when its font has them, so a word is shaped in one piece."""
    runs: list[tuple[str, str]] = []
    current, start = "", 0
    for index, char in enumerate(text):
        code = ord(char)
        inherits = unicodedata.category(char)[0] in _INHERITING
        if current and inherits and code in fonts.fonts[current].covers:
            continue
        chosen = _font_for(code, fonts)
        if chosen != current:
            if current:
                runs.append((current, text[start:index]))
            current, start = chosen, index
    if current:
        runs.append((current, text[start:]))
    return runs


def _font_for(code: int, fonts: FontSet) -> str:
    preferred = fonts.preferred_font(code)
    if preferred and code in fonts.fonts[preferred].covers:
        return preferred
    for name, font in fonts.fonts.items():
        if code in font.covers:
            return name
    return FONT  # unprintable characters are replaced before layout; see PdfWriter


def base_level(text: str) -> int:
    """0 (left to right) or 1: the direction of the first strong character (dir="auto")."""
    return uba.get_base_level(text)


def levels(text: str, base: int) -> list[int]:
    """The resolved bidi embedding level of every character (rules P to I of UAX #9)."""
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uba.get_embedding_levels(text, storage)
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    resolved = [entry["level"] for entry in storage["chars"]]
    if len(resolved) == len(text):
        return resolved
    # Explicit formatting characters were removed (X9): they take the level before them.
    result, taken, level = [], 0, base
    for char in text:
        if unicodedata.bidirectional(char) in uba.X9_REMOVED or taken >= len(resolved):
            result.append(level)
        else:
            level = resolved[taken]
            taken += 1
            result.append(level)
    return result


def visual_runs(line: str, base: int, fonts: FontSet) -> list[GlyphRun]:
    """The line's runs, shaped, left to right as they are drawn."""
    line_levels = levels(line, base)
    # Trailing spaces take the paragraph level (rule L1).
    end = len(line)
    while end and line[end - 1] == " ":
        end -= 1
        line_levels[end] = base
    pieces: list[tuple[int, str, str]] = []  # (level, font, text) in logical order
    position = 0
    for font, text in font_runs(line, fonts):
        start = position
        position += len(text)
        run_start = start
        for index in range(start + 1, position + 1):
            if index == position or line_levels[index] != line_levels[run_start]:
                pieces.append((line_levels[run_start], font, line[run_start:index]))
                run_start = index
    order = list(range(len(pieces)))
    highest = max((level for level, _, _ in pieces), default=0)
    odd = [level for level, _, _ in pieces if level % 2]
    lowest_odd = min(odd) if odd else highest + 1
    for level in range(highest, lowest_odd - 1, -1):  # rule L2, on whole runs
        index = 0
        while index < len(order):
            if pieces[order[index]][0] >= level:
                end = index
                while end < len(order) and pieces[order[end]][0] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return [shape(pieces[i][1], pieces[i][2], bool(pieces[i][0] % 2)) for i in order]


@functools.lru_cache(maxsize=8192)
def shape(font_name: str, text: str, rtl: bool) -> GlyphRun:
    """One run shaped by HarfBuzz; positions in 1/1000 em. Remembered: reports repeat words."""
    face = _face(font_name)
    font = hb.Font(face)
    units = face.upem
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(font, buffer, {"kern": True, "liga": True})
    reportlab_font = pdfmetrics.getFont(font_name)
    scale = 1000 / units
    glyphs, pen = [], 0.0
    infos = buffer.glyph_infos
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    for info, position in zip(infos, buffer.glyph_positions, strict=True):
        source = text[info.cluster : ends[info.cluster]]
        code = _code_for(reportlab_font, info.codepoint, position.x_advance * scale, source)
        glyphs.append(
            Glyph(
                code,
                pen + position.x_offset * scale,
                position.y_offset * scale,
                position.x_advance * scale,
                info.cluster,
                source,
            )
        )
        pen += position.x_advance * scale
    return GlyphRun(font_name, text, rtl, tuple(glyphs), pen)


@functools.cache
def _face(font_name: str) -> hb.Face:
    path = font_set().fonts[font_name].path
    return hb.Face(hb.Blob(Path(path).read_bytes()))


def _code_for(font: object, glyph: int, advance: float, source: str) -> str:
    """The character that draws `glyph`: its own, else a private-use code fixed by the glyph id
    (the same for every render, unlike a counter), registered with the font and its bold twin."""
    face = font.face  # type: ignore[attr-defined]
    own = face.glyphToChar.get(glyph)
    if own:
        if len(source) == 1 and ord(source) in own:  # the character itself, when it is one
            return source
        printable = [code for code in own if code >= 0x20]  # some fonts give NUL the space
        return chr(min(printable or own))
    code = PRIVATE_START + glyph
    if code > PRIVATE_END:
        code = 0xF0000 + glyph
    for name in (font.fontName, font.fontName + "-Bold"):  # type: ignore[attr-defined]
        twin = pdfmetrics.getFont(name).face
        twin.charToGlyph[code] = glyph
        twin.glyphToChar.setdefault(glyph, [code])
        twin.charWidths[code] = advance
    return chr(code)
