"""Noto Sans from the fontpkg-noto-sans package, so reports never depend on the machine's fonts.

The package ships Noto Sans as a variable font. ReportLab draws a variable font's default instance
(Regular); the bold face is registered as the same outlines under its own name, and the report's
canvas draws text in that name filled and stroked (pdf_page.BoldText), which gives it weight.
"""

from __future__ import annotations

import functools
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
_PACKAGE = "fontpkg_noto_sans"
_REGULAR_FILE = "NotoSans[wdth,wght].ttf"


class _Font(TTFont):
    """TTFont with a fast path for the usual run of text: printable ASCII. With ASCII kept
    readable (ReportLab's default), those characters are their own codes in subset 0, so the
    per-character subset assignment (a fifth of the drawing time) gives the same bytes."""

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list:
        if self._ascii_fast and isinstance(text, str) and text.isascii() and text.isprintable():
            self._assignState(doc)  # the document's font state exists, as on the slow path
            return [(0, text.encode("ascii"))] if text else []
        return super().splitString(text, doc, encoding)

    @functools.cached_property
    def _ascii_fast(self) -> bool:
        drawable = self.face.charToGlyph
        return bool(self._asciiReadable) and all(code in drawable for code in range(32, 127))


@functools.cache
def register_fonts() -> frozenset[int]:
    """Registers the report fonts once; returns the code points the font can draw."""
    source = resources.files(_PACKAGE).joinpath("files", _REGULAR_FILE)
    with resources.as_file(source) as path:
        regular = _Font(FONT, str(path))
        bold = _Font(FONT_BOLD, str(path))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return frozenset(regular.face.charToGlyph)
