"""The upload limit is the configured size, exactly: a file of the limit is attached, and a request
just past the limit plus the room left for multipart framing is stopped with the readable 413.

With a small limit (0.1 MB) the fixed framing allowance (256 KiB) no longer hides a limit that is
off by a factor: ten times the limit would let the 413 request through to the view.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from pia.store.models import Evidence
from pia.web.shared.config import UPLOAD_OVERHEAD_BYTES

LIMIT_MB = 0.1
LIMIT = int(LIMIT_MB * 1024 * 1024)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PIA_MAX_UPLOAD_MB": LIMIT_MB}


def upload(auth: Any, aid: int, size: int) -> Any:
    return auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": "vendor_name", "file": (io.BytesIO(b"a" * size), "letter.txt")},
        content_type="multipart/form-data",
    )


def evidence_count(db: Any) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Evidence)) or 0


def test_request_limit_is_the_file_limit_plus_framing(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == LIMIT + UPLOAD_OVERHEAD_BYTES


def test_a_file_of_exactly_the_limit_is_attached(auth, db, make_assessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload(auth, aid, LIMIT)
    assert response.status_code == 303
    assert evidence_count(db) == 1


def test_a_request_past_the_limit_is_a_413_and_attaches_nothing(auth, db, make_assessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload(auth, aid, LIMIT + UPLOAD_OVERHEAD_BYTES + 1)
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)
    assert evidence_count(db) == 0


def test_a_file_one_byte_over_the_limit_is_refused_by_name(auth, db, make_assessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload(auth, aid, LIMIT + 1)
    assert response.status_code == 400
    assert "The file was not attached" in response.get_data(as_text=True)
    assert evidence_count(db) == 0
