"""Reading rendered PDFs back: text per page, attachments, outline."""

from __future__ import annotations

import io
import json
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def flat(text: str) -> str:
    """Text with all whitespace removed: wrapped lines join up again."""
    return "".join(text.split())


def attachment(pdf: bytes, name: str) -> Any:
    return json.loads(reader(pdf).attachments[name][0].decode("utf-8"))


def outline_titles(pdf: bytes) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader(pdf).outline)
    return titles
