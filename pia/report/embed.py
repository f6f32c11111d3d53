"""The data a report carries inside itself, so `pia verify` can rebuild it byte for byte."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas

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


def embed_files(canvas: Canvas, files: Mapping[str, str]) -> None:
    """Writes `files` into the PDF the canvas is making, as embedded files (UTF-8, stored
    uncompressed so they can be read in the file itself) named in the catalog's /EmbeddedFiles
    tree. Done while the PDF is written, rather than
    by re-reading and re-writing the finished file, which took longer than a tenth of the render."""
    document = canvas._doc
    names: list[Any] = []
    for name in sorted(files):
        stream = _UnfilteredStream(
            PDFDictionary({"Type": PDFName("EmbeddedFile")}), files[name].encode("utf-8")
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "EF": PDFDictionary({"F": document.Reference(stream)}),
            }
        )
        names += [PDFString(name), document.Reference(spec)]
    tree = PDFDictionary({"Names": PDFArray(names)})
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})


class _UnfilteredStream(PDFStream):
    """A stream written as is: PDFStream would apply the document's page compression."""

    def __init__(self, dictionary: PDFDictionary, content: bytes) -> None:
        super().__init__(dictionary, content)

    def format(self, document: Any) -> bytes:
        dictionary = PDFDictionary(dict(self.dictionary.dict, Length=len(self.content)))
        return pdf_format(dictionary, document) + b"\nstream\n" + self.content + b"\nendstream\n"


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
