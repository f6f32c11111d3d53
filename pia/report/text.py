"""Making user text safe to print.

Answers, notes, titles and file names come from people. Before any of it reaches ReportLab's
Paragraph markup it is cleaned (control characters dropped), escaped (so `<b>` or `&` print
literally) and limited to characters the font can draw (others become U+FFFD, which it can).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from xml.sax.saxutils import escape

REPLACEMENT = "\ufffd"
_KEPT_CONTROLS = {"\n"}


def clean_text(value: object) -> str:
    """Text without control characters, surrogates or non-characters; tabs become spaces."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if text.replace("\n", "").isprintable():  # the usual case: nothing to drop
        return text
    kept = []
    for char in text:
        if char in _KEPT_CONTROLS:
            kept.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co") or _is_noncharacter(char):
            continue
        kept.append(char)
    return "".join(kept)


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def one_line(value: object) -> str:
    """Cleaned text with its line breaks folded into spaces (table cells, headers, metadata)."""
    return " ".join(clean_text(value).split())


def limit_to_font(text: str, drawable: Container[int]) -> str:
    """Replaces characters the font has no glyph for, so nothing silently disappears."""
    if text.isascii():  # the font draws all of printable ASCII
        return text
    if all(char == "\n" or ord(char) in drawable for char in set(text)):  # each distinct char once
        return text
    return "".join(
        char
        if char == "\n" or ord(char) in drawable or unicodedata.category(char) == "Zs"
        else REPLACEMENT
        for char in text
    )


def to_markup(value: object, drawable: Container[int]) -> str:
    """Paragraph markup that shows `value` literally: escaped, line breaks kept as <br/>."""
    text = limit_to_font(clean_text(value), drawable)
    return escape(text).replace("\n", "<br/>")
