"""Evidence uploads: checked by content, limited in size, stored with their SHA-256."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import inspect

from pia.store import (
    NotAllowed,
    UploadRejected,
    add_evidence,
    create_assessment,
    evidence_for,
    get_evidence,
)
from pia.store.evidence import check_upload, sanitise_filename

LIMIT = 10 * 1024 * 1024


def tiny_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, "Vendor accuracy report")
    page.save()
    return buffer.getvalue()


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def tiny_jpeg() -> bytes:
    # Start of image, a JFIF APP0 segment, end of image.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def tiny_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"/>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Policy</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48

ACCEPTED = [
    ("report.pdf", tiny_pdf, "application/pdf"),
    ("chart.png", tiny_png, "image/png"),
    ("photo.jpeg", tiny_jpeg, "image/jpeg"),
    ("photo.JPG", tiny_jpeg, "image/jpeg"),
    (
        "policy.docx",
        tiny_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("notes.txt", lambda: "Généralement exact.\n".encode(), "text/plain; charset=utf-8"),
]


@pytest.mark.parametrize(("filename", "make", "content_type"), ACCEPTED)
def test_accepted_types_by_content(filename, make, content_type) -> None:
    clean, kind = check_upload(filename, make(), LIMIT)
    stem, _, extension = filename.rpartition(".")
    assert clean == f"{stem}.{extension.lower()}"
    assert kind.content_type == content_type


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("report.pdf", tiny_png(), "content is a PNG image but its name ends in .pdf"),
        ("notes.txt", tiny_docx(), "content is a Word document but its name ends in .txt"),
        ("chart.png", b"just some text", "plain-text file but its name ends in .png"),
        ("report", tiny_pdf(), "its name has no extension"),
        ("tool.exe", EXE, "application/x-msdownload"),
        ("report.pdf", ELF, "application/x-executable"),
        ("archive.docx", plain_zip(), "ZIP archive but not a Word document"),
        ("data.txt", b"text\x00with a NUL", "binary data"),
        ("latin1.txt", "café".encode("latin-1"), "could not be recognised"),
        ("empty.txt", b"", "the file is empty"),
    ],
)
def test_rejected_files_say_why(filename, data, says) -> None:
    with pytest.raises(UploadRejected) as caught:
        check_upload(filename, data, LIMIT)
    assert says in caught.value.reason


def test_oversized_files_are_rejected_before_anything_else() -> None:
    with pytest.raises(UploadRejected, match=r"too large \(1\.0 MB\); the limit is 1023 KB"):
        check_upload("big.txt", b"a" * (1024 * 1024), 1023 * 1024)
    clean, _ = check_upload("fits.txt", b"a" * 1024, 1024)
    assert clean == "fits.txt"


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("../../etc/pass<wd>.txt", "pass_wd_.txt"),
        ("C:\\Users\\me\\Report FINAL.PDF", "Report FINAL.pdf"),
        ("  .hidden.txt", "hidden.txt"),
        ("evil\x00name\r\n.txt", "evilname.txt"),
        ('"quoted";.txt', "_quoted__.txt"),
        (".txt", "txt"),
        ("...", "evidence"),
        ("", "evidence"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
        ("Überblick – Gesichtserkennung.pdf", "Überblick _ Gesichtserkennung.pdf"),
    ],
)
def test_filenames_are_sanitised(given, clean) -> None:
    assert sanitise_filename(given) == clean


def test_evidence_is_stored_with_its_hash_and_listed_without_its_bytes(session, bank, cast):
    assessment = create_assessment(session, bank, cast.officer, title="Pilot")
    data = tiny_pdf()
    stored = add_evidence(
        session,
        assessment,
        cast.officer,
        question_id="threshold",
        filename="../vendor report.pdf",
        data=data,
        max_bytes=LIMIT,
        bank=bank,
    )
    assert stored.filename == "vendor report.pdf"
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    session.expunge_all()
    listed = evidence_for(session, assessment)
    assert [e.id for e in listed] == [stored.id]
    assert "data" in inspect(listed[0]).unloaded  # the list never loads the files
    session.expunge_all()
    again = get_evidence(session, stored.id)
    assert again.data == data and again.content_type == "application/pdf"
    assert get_evidence(session, 0) is None


def test_uploads_to_unknown_questions_or_by_others_are_refused(session, bank, cast):
    assessment = create_assessment(session, bank, cast.officer, title="Pilot")
    with pytest.raises(UploadRejected, match="no question"):
        add_evidence(
            session,
            assessment,
            cast.officer,
            question_id="no_such_question",
            filename="a.txt",
            data=b"x",
            max_bytes=LIMIT,
            bank=bank,
        )
    with pytest.raises(UploadRejected, match="no question"):
        add_evidence(
            session,
            assessment,
            cast.officer,
            question_id="<script>",
            filename="a.txt",
            data=b"x",
            max_bytes=LIMIT,
        )
    for actor in (cast.reviewer, cast.other_officer, cast.admin):
        with pytest.raises(NotAllowed):
            add_evidence(
                session,
                assessment,
                actor,
                question_id="threshold",
                filename="a.txt",
                data=b"x",
                max_bytes=LIMIT,
            )
    assert evidence_for(session, assessment) == []
