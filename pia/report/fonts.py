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


@functools.cache
def register_fonts() -> frozenset[int]:
    """Registers the report fonts once; returns the code points the font can draw."""
    source = resources.files(_PACKAGE).joinpath("files", _REGULAR_FILE)
    with resources.as_file(source) as path:
        regular = TTFont(FONT, str(path))
        bold = TTFont(FONT_BOLD, str(path))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return frozenset(regular.face.charToGlyph)
