"""The data a report carries inside itself, so `pia verify` can rebuild it byte for byte."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from pia.errors import PiaError

ASSESSMENT_FILE = "assessment.json"
EVALUATION_FILE = "evaluation.json"
DATA_FORMAT = "pia-assessment"
DATA_FORMAT_VERSION = 1


class ReportDataError(PiaError):
    """The file is not a PDF produced by pia, or its embedded data cannot be read."""


@dataclass(frozen=True)
class EmbeddedData:
    assessment: dict[str, Any]
    evaluation: dict[str, Any]


def canonical_json(data: Any) -> str:
    """Stable text for embedding: keys in insertion order, non-JSON values (dates) as text."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def attach(pdf: bytes, files: Mapping[str, str]) -> bytes:
    """The PDF with `files` embedded. The trailer /ID is kept from the input, so the output stays
    deterministic (pypdf only draws a random /ID when it has none to keep)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for name, text in files.items():
        writer.add_attachment(name, text.encode("utf-8"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def read_embedded(pdf: bytes) -> EmbeddedData:
    """The assessment data and evaluation JSON embedded by render_assessment_pdf."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        attachments = reader.attachments
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ReportDataError(f"not a readable PDF ({error})") from error
    missing = [name for name in (ASSESSMENT_FILE, EVALUATION_FILE) if name not in attachments]
    if missing:
        raise ReportDataError(
            "the PDF carries no pia assessment data (missing " + ", ".join(missing) + "): "
            "it was not produced by pia or its attachments were removed"
        )
    assessment = _json(attachments[ASSESSMENT_FILE], ASSESSMENT_FILE)
    evaluation = _json(attachments[EVALUATION_FILE], EVALUATION_FILE)
    if assessment.get("format") != DATA_FORMAT:
        raise ReportDataError(f"{ASSESSMENT_FILE} is not pia assessment data")
    return EmbeddedData(assessment, evaluation)


def _json(contents: list[bytes], name: str) -> dict[str, Any]:
    try:
        data = json.loads(contents[0].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, IndexError) as error:
        raise ReportDataError(f"the embedded {name} is damaged ({error})") from error
    if not isinstance(data, dict):
        raise ReportDataError(f"the embedded {name} is not a JSON object")
    return data
