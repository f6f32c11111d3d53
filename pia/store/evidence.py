"""Evidence files attached to a question of an assessment.

A file is accepted only when its bytes are a PDF, PNG, JPEG, Word (.docx) document or UTF-8 plain
text, and its name's extension agrees with what the bytes are: a PNG named report.pdf is refused.
Types come from magic numbers (the `filetype` package); a .docx is a ZIP archive holding
word/document.xml; plain text is valid UTF-8 without NUL or other control bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.store import audit
from pia.store.errors import UploadRejected
from pia.store.models import Assessment, Evidence, User, utcnow
from pia.store.policy import Action, require
from pia.store.transaction import committing

FILENAME_MAX = 150
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,99}")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_MIME = "text/plain; charset=utf-8"
# Control characters other than tab, line feed, form feed and carriage return.
CONTROL_BYTES = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FileKind:
    name: str  # for messages
    content_type: str  # served with the download
    extensions: tuple[str, ...]  # the first is suggested in messages


PDF = FileKind("PDF document", "application/pdf", (".pdf",))
PNG = FileKind("PNG image", "image/png", (".png",))
JPEG = FileKind("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind("Word document", DOCX_MIME, (".docx",))
TEXT = FileKind("plain-text file", TEXT_MIME, (".txt", ".md", ".csv"))
ACCEPTED = "PDF, PNG, JPEG, Word (.docx) or plain-text (UTF-8)"
_BY_MIME = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPEG}


def detect_kind(data: bytes) -> FileKind:
    """What the bytes are, or UploadRejected saying what they are instead."""
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return DOCX
        raise UploadRejected(
            f"the file is a ZIP archive but not a Word document; accepted: {ACCEPTED}"
        )
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime in _BY_MIME:
            return _BY_MIME[kind.mime]
        raise UploadRejected(
            f"the file's content is {kind.mime} (.{kind.extension}), which is not accepted; "
            f"accepted: {ACCEPTED}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadRejected(
            f"the file's type could not be recognised from its content; accepted: {ACCEPTED}"
        ) from None
    if CONTROL_BYTES.search(text):
        raise UploadRejected(f"the file holds binary data, not plain text; accepted: {ACCEPTED}")
    return TEXT


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def sanitise_filename(filename: str) -> str:
    """A safe display and download name: no path, no control or shell characters, not too long."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = unicodedata.normalize("NFC", name)
    kept = []
    for char in name:
        if char.isalnum() or char in " ._-()+,":
            kept.append(char)
        elif unicodedata.category(char)[0] in "CZ":
            kept.append(" " if char.isspace() else "")
        else:
            kept.append("_")
    name = " ".join("".join(kept).split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension.lower()[:10]
    stem = stem.strip(" .") or "evidence"
    room = FILENAME_MAX - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or "evidence"
    return f"{stem}.{extension}" if extension else stem


def check_upload(filename: str, data: bytes, max_bytes: int) -> tuple[str, FileKind]:
    """The sanitised filename and the file's kind; UploadRejected saying why it is refused."""
    if not data:
        raise UploadRejected("the file is empty")
    if len(data) > max_bytes:
        raise UploadRejected(
            f"the file is too large ({_size(len(data))}); the limit is {_size(max_bytes)}"
        )
    clean = sanitise_filename(filename)
    kind = detect_kind(data)
    extension = "." + clean.rpartition(".")[2].lower() if "." in clean else ""
    if extension not in kind.extensions:
        named = f"its name ends in {extension}" if extension else "its name has no extension"
        raise UploadRejected(
            f"the file's content is a {kind.name} but {named}; "
            f"name it with {' or '.join(kind.extensions)}"
        )
    return clean, kind


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"


def add_evidence(
    session: Session,
    assessment: Assessment,
    actor: User,
    *,
    question_id: str,
    filename: str,
    data: bytes,
    max_bytes: int,
    bank: Bank | None = None,
) -> Evidence:
    """Attach a checked file to a question. With `bank`, the question must be one of its own."""
    require(actor, Action.UPLOAD, assessment)
    unknown = bank is not None and question_id not in bank.questions
    if unknown or not QUESTION_ID.fullmatch(str(question_id)):
        raise UploadRejected(f"there is no question {str(question_id)[:100]!r} to attach it to")
    data = bytes(data)
    clean, kind = check_upload(filename, data, max_bytes)
    evidence = Evidence(
        assessment_id=assessment.id,
        question_id=question_id,
        filename=clean,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=actor.id,
        uploaded_at=utcnow(),
    )
    with committing(session):
        session.add(evidence)
        session.flush()
        audit.add_event(
            session,
            audit.EVIDENCE_ADDED,
            actor=actor,
            assessment=assessment,
            detail={
                "evidence_id": evidence.id,
                "question_id": question_id,
                "filename": clean,
                "size": len(data),
                "sha256": evidence.sha256,
            },
        )
    return evidence


# How lists of evidence are ordered everywhere: by question, then upload time.
EVIDENCE_ORDER = (Evidence.question_id, Evidence.uploaded_at, Evidence.id)


def evidence_for(session: Session, assessment: Assessment) -> list[Evidence]:
    """The assessment's evidence (without the files' bytes), by question then upload time."""
    query = (
        select(Evidence).where(Evidence.assessment_id == assessment.id).order_by(*EVIDENCE_ORDER)
    )
    return list(session.scalars(query))


def get_evidence(session: Session, evidence_id: int) -> Evidence | None:
    """One evidence file; its bytes load when `.data` is read. Check access on its assessment."""
    if isinstance(evidence_id, bool) or not isinstance(evidence_id, int):
        return None
    if not 0 < evidence_id < 2**63:
        return None
    return session.get(Evidence, evidence_id)
