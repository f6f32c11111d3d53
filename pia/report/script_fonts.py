"""The fonts that print scripts Noto Sans lacks or cannot lay out alone, found and registered once.

Noto Sans (fontpkg-noto-sans) prints Latin, Greek and Cyrillic. Other scripts come from:
- Python packages (always installed with pia): Noto Sans Arabic, Devanagari and Thai;
- Debian packages that scripts/bootstrap.sh, demo.sh and test.sh install: fonts-noto-core (Hebrew
  and the other Indic scripts), fonts-droid-fallback (Chinese and Japanese in one TrueType file;
  Noto's own CJK fonts are CFF outlines, which ReportLab cannot embed) and fonts-nanum (Korean).
System fonts are looked for in PIA_FONT_DIRS (folders separated by ':') and then in the usual
Debian places. A missing font is not fatal: its characters print as a marked placeholder, and the
report names the package to install (`missing_fonts`).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pia.report.fonts import FONT, register_fonts

SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
)


@dataclass(frozen=True)
class FontSource:
    name: str  # the ReportLab font name; its faux-bold twin is name + "-Bold"
    file: str  # the font file's name
    package: str = ""  # a Python package holding it under files/, or "" for a system font
    debian: str = ""  # the Debian package that installs it
    ranges: tuple[tuple[int, int], ...] = ()  # the blocks it is the preferred font for


# Order matters only for characters outside every font's preferred ranges.
SOURCES = (
    FontSource(
        "NotoSansArabic",
        "NotoSansArabic[wdth,wght].ttf",
        package="fontpkg_noto_sans_arabic",
        ranges=(
            (0x0600, 0x06FF),
            (0x0750, 0x077F),
            (0x08A0, 0x08FF),
            (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFF),
        ),
    ),
    FontSource(
        "NotoSansHebrew",
        "NotoSansHebrew-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    FontSource(
        "NotoSansDevanagari",
        "NotoSansDevanagari[wdth,wght].ttf",
        package="fontpkg_noto_sans_devanagari",
        ranges=((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    ),
    FontSource(
        "NotoSansBengali",
        "NotoSansBengali-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0980, 0x09FF),),
    ),
    FontSource(
        "NotoSansGurmukhi",
        "NotoSansGurmukhi-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0A00, 0x0A7F),),
    ),
    FontSource(
        "NotoSansGujarati",
        "NotoSansGujarati-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0A80, 0x0AFF),),
    ),
    FontSource(
        "NotoSansOriya",
        "NotoSansOriya-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0B00, 0x0B7F),),
    ),
    FontSource(
        "NotoSansTamil",
        "NotoSansTamil-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0B80, 0x0BFF),),
    ),
    FontSource(
        "NotoSansTelugu",
        "NotoSansTelugu-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0C00, 0x0C7F),),
    ),
    FontSource(
        "NotoSansKannada",
        "NotoSansKannada-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0C80, 0x0CFF),),
    ),
    FontSource(
        "NotoSansMalayalam",
        "NotoSansMalayalam-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0D00, 0x0D7F),),
    ),
    FontSource(
        "NotoSansSinhala",
        "NotoSansSinhala-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0D80, 0x0DFF),),
    ),
    FontSource(
        "NotoSansThai",
        "NotoSansThai[wdth,wght].ttf",
        package="fontpkg_noto_sans_thai",
        ranges=((0x0E00, 0x0E7F),),
    ),
    FontSource(
        "NotoSansArmenian",
        "NotoSansArmenian-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x0530, 0x058F),),
    ),
    FontSource(
        "NotoSansGeorgian",
        "NotoSansGeorgian-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x10A0, 0x10FF),),
    ),
    FontSource(
        "NotoSansEthiopic",
        "NotoSansEthiopic-Regular.ttf",
        debian="fonts-noto-core",
        ranges=((0x1200, 0x139F),),
    ),
    FontSource(
        "NanumGothic",
        "NanumGothic.ttf",
        debian="fonts-nanum",
        ranges=((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    ),
    FontSource(
        "DroidSansFallback",
        "DroidSansFallbackFull.ttf",
        debian="fonts-droid-fallback",
        ranges=(
            (0x2E80, 0x2FDF),
            (0x3000, 0x303F),
            (0x3040, 0x30FF),
            (0x3100, 0x312F),
            (0x31A0, 0x31FF),
            (0x3200, 0x32FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ),
    ),
)


@dataclass(frozen=True)
class LoadedFont:
    name: str
    path: str
    covers: frozenset[int]
    units_per_em: int


@dataclass(frozen=True)
class FontSet:
    """Every font the report can print with, by ReportLab name; Noto Sans first."""

    fonts: Mapping[str, LoadedFont]
    blocks: tuple[tuple[int, int, str], ...]
    missing: tuple[FontSource, ...]  # fonts not found on this machine

    def preferred_font(self, code: int) -> str | None:
        for start, end, name in self.blocks:
            if start <= code <= end:
                return name
        return None


def bold_name(name: str) -> str:
    """The faux-bold twin's name (for Noto Sans: fonts.FONT_BOLD)."""
    return name + "-Bold"


@functools.cache
def font_set() -> FontSet:
    """Finds and registers the fonts once per process (each also under its faux-bold name)."""
    noto = register_fonts()
    regular = pdfmetrics.getFont(FONT)
    fonts: dict[str, LoadedFont] = {
        FONT: LoadedFont(FONT, regular.face.filename, noto, regular.face.unitsPerEm)
    }
    blocks: list[tuple[int, int, str]] = []
    missing: list[FontSource] = []
    for source in SOURCES:
        path = _find(source)
        if path is None:
            missing.append(source)
            continue
        font = TTFont(source.name, path)
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFont(TTFont(bold_name(source.name), path))
        fonts[source.name] = LoadedFont(
            source.name, path, frozenset(font.face.charToGlyph), font.face.unitsPerEm
        )
        blocks.extend((start, end, source.name) for start, end in source.ranges)
    return FontSet(fonts, tuple(blocks), tuple(missing))


def _find(source: FontSource) -> str | None:
    if source.package:
        try:
            item = resources.files(source.package).joinpath("files", source.file)
        except ModuleNotFoundError:
            return None
        return str(item) if item.is_file() else None
    extra = [d for d in os.environ.get("PIA_FONT_DIRS", "").split(":") if d]
    for folder in (*extra, *SYSTEM_FONT_DIRS):
        candidate = Path(folder) / source.file
        if candidate.is_file():
            return str(candidate)
    return None


def missing_note(fonts: FontSet, codes: set[int]) -> str:
    """What to install so that the unprintable characters `codes` print, when a font is missing."""
    wanted = sorted(
        {
            source.debian or source.package
            for source in fonts.missing
            if any(start <= code <= end for code in codes for start, end in source.ranges)
        }
    )
    return f" Installing {', '.join(wanted)} would print them." if wanted else ""


def describe(code: int) -> str:
    name = unicodedata.name(chr(code), "")
    return f"U+{code:04X}" + (f" {name}" if name else "")
