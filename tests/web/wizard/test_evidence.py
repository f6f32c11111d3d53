"""Evidence over HTTP: upload to a question, listing with name, size and SHA-256, download only by
those allowed, refusals by content and size with readable pages."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import section_url

from pia.store.models import Evidence

MakeAssessment = Callable[..., int]


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120


def upload(auth: Any, aid: int, question_id: str, name: str, data: bytes) -> Any:
    return auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": question_id, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def evidence_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Evidence)) or 0


def test_upload_lists_the_file_under_its_question_and_downloads_it(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    data = png_bytes()
    response = upload(auth, aid, "threshold", "vendor test <b>chart</b>.png", data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(section_url(aid, "use") + "#q-threshold")
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    block = html.split('id="q-threshold"')[1].split('id="q-fmr"')[0]
    digest = hashlib.sha256(data).hexdigest()
    assert digest in block
    assert f"{len(data)} bytes, image/png" in block
    assert "<b>chart" not in html  # the name is sanitised and escaped
    [evidence] = db.scalars(select(Evidence)).all()
    assert evidence.question_id == "threshold" and evidence.sha256 == digest
    download = client.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", png_bytes(), "content is a PNG image but its name ends in .pdf"),
        ("tool.pdf", ELF, "not accepted"),
        ("empty.txt", b"", "the file is empty"),
        ("notes.txt", b"abc\x00def", "binary data"),
    ],
)
def test_files_are_checked_by_content(
    auth: Any,
    db: Session,
    make_assessment: MakeAssessment,
    name: str,
    data: bytes,
    reason: str,
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload(auth, aid, "threshold", name, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The file was not attached:" in html and reason in html
    assert f'href="{section_url(aid, "use")}#q-threshold"' in html  # a way back
    assert evidence_count(db) == 0


def test_upload_needs_a_file_and_a_real_question(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    no_file = auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": "threshold"},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400
    assert "choose a file first" in no_file.get_data(as_text=True)
    unknown = upload(auth, aid, "no_such_question", "a.pdf", PDF)
    assert unknown.status_code == 400
    assert evidence_count(db) == 0


class TestSizeLimits:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"PIA_MAX_UPLOAD_MB": 0.01}  # 10,485 bytes

    def test_a_file_over_the_limit_is_refused(
        self, auth: Any, db: Session, make_assessment: MakeAssessment
    ) -> None:
        aid = make_assessment()
        auth.login("officer_a")
        response = upload(auth, aid, "description", "big.txt", b"a" * 20_000)
        assert response.status_code == 400
        assert "too large" in response.get_data(as_text=True)
        assert upload(auth, aid, "description", "small.txt", b"a" * 10_000).status_code == 303
        assert evidence_count(db) == 1

    def test_an_oversized_request_gets_a_readable_413(
        self, auth: Any, db: Session, make_assessment: MakeAssessment
    ) -> None:
        aid = make_assessment()
        auth.login("officer_a")
        response = upload(auth, aid, "description", "huge.txt", b"a" * 400_000)
        assert response.status_code == 413
        html = response.get_data(as_text=True)
        assert "<html" in html and "Traceback" not in html
        assert evidence_count(db) == 0


def test_download_only_for_those_allowed(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    complete = {"vendor_name": "Acme", "modes": ["search"]}
    aid = make_assessment(answers=complete)
    auth.login("officer_a")
    assert upload(auth, aid, "vendor_name", "contract.pdf", PDF).status_code == 303
    evidence_id = db.scalars(select(Evidence.id)).one()
    url = f"/evidence/{evidence_id}"
    auth.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]
    for key in ("officer_b", "reviewer_a", "reviewer_b", "admin"):
        auth.login(key)
        assert client.get(url).status_code == 404, key  # a draft: nobody else may know of it
        auth.logout()
    # once submitted, the agency's reviewer may download; the other agency's still may not
    auth.login("officer_a")
    version = client.get(f"/assessments/{aid}/completeness").get_data(as_text=True)
    lock = version.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    assert auth.post(f"/assessments/{aid}/submit", {"lock_version": lock}).status_code == 303
    auth.logout()
    auth.login("reviewer_a")
    assert client.get(url).data == PDF
    auth.logout()
    auth.login("reviewer_b")
    assert client.get(url).status_code == 404
    assert client.get("/evidence/999999").status_code == 404


def test_others_may_not_upload(auth: Any, db: Session, make_assessment: MakeAssessment) -> None:
    aid = make_assessment()
    auth.login("officer_b")
    assert upload(auth, aid, "threshold", "a.pdf", PDF).status_code == 404
    auth.logout()
    auth.login("reviewer_a")
    assert upload(auth, aid, "threshold", "a.pdf", PDF).status_code in (403, 404)
    assert evidence_count(db) == 0
