"""Bad input over HTTP: a clear 4xx page and nothing changed, never a 500 or a silent guess."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.models import Agency, Assessment

BIG_IDS = (2**31, 2**31 + 7, 2**63, 10**30)


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("big", BIG_IDS)
def test_ids_out_of_the_database_range_are_404_everywhere(
    auth: Any, client: FlaskClient, big: int
) -> None:
    urls = [
        f"/assessments/{big}",
        f"/assessments/{big}/report",
        f"/assessments/{big}/report.pdf",
        f"/assessments/{big}/findings.csv",
        f"/assessments/{big}/sections/system",
        f"/evidence/{big}",
    ]
    for url in urls:  # signed out: also 404, never an overflow
        assert client.get(url).status_code == 404, url
    auth.login("admin")
    assert client.get(f"/admin/users/{big}").status_code == 404
    assert auth.post(f"/admin/users/{big}/deactivate").status_code == 404
    auth.login("officer_a")
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert auth.post(f"/assessments/{big}/sections/system", {}).status_code == 404


def test_nul_in_the_sign_in_email_is_refused_with_a_message(auth, client, people) -> None:
    token = auth.csrf_token()
    response = client.post(
        "/signin", data={"email": "officer_a@example.gov\0", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_control_characters_in_a_new_title_or_admin_form_change_nothing(
    auth, db: Session, people
) -> None:
    auth.login("officer_a")
    before = count(db, Assessment)
    for bad in ("Pilot\0", "Pilot\x07bell", "Pilot\x1b[31m"):
        response = auth.post("/assessments/new", {"title": bad, "technology": "face"})
        assert response.status_code == 400, bad
        assert "control character" in response.get_data(as_text=True)
    assert count(db, Assessment) == before
    auth.login("admin")
    agencies = count(db, Agency)
    response = auth.post("/admin/agencies", {"name": "Police\0"})
    assert response.status_code == 400
    assert count(db, Agency) == agencies
    response = auth.post(
        "/admin/users",
        {"email": "new@example.gov", "name": "New\0", "role": "officer", "password": "x" * 20},
    )
    assert response.status_code == 400


def test_a_repeated_form_field_is_a_400(auth, client, db: Session, people) -> None:
    token = auth.csrf_token()
    response = client.post(
        "/signin",
        data={
            "email": [people["officer_a"].email, "someone@else.gov"],
            "password": people["officer_a"].password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "more than once" in response.get_data(as_text=True)
    auth.login("admin")
    agencies = count(db, Agency)
    assert auth.post("/admin/agencies", {"name": ["One", "Two"]}).status_code == 400
    assert count(db, Agency) == agencies


def test_a_repeated_answer_field_in_a_section_is_a_400(auth, db: Session, make_assessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    data = {"lock_version": "0", "asked": ["vendor_name"], "vendor_name": ["One", "Two"]}
    response = auth.post(f"/assessments/{aid}/sections/system", data)
    assert response.status_code == 400
    assert "more than once" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Assessment, aid).lock_version == 0


def test_csv_has_one_charset(auth, client, submitted: int) -> None:
    auth.login("officer_a")
    response = client.get(f"/assessments/{submitted}/findings.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_filename_that_is_not_utf8_is_refused_clearly(
    auth, client, db: Session, make_assessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    token = auth.csrf_token()
    boundary = b"pia-boundary"
    body = b"".join(
        [
            b"--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode(),
            b"\r\n--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="question_id"\r\n\r\nvendor_name',
            b"\r\n--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="file"; filename="caf\xe9\xff.txt"\r\n',
            b"Content-Type: text/plain\r\n\r\nplain text evidence",
            b"\r\n--" + boundary + b"--\r\n",
        ]
    )
    response = client.post(
        f"/assessments/{aid}/evidence",
        data=body,
        content_type="multipart/form-data; boundary=pia-boundary",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "expired" not in html
    assert "file name" in html and "UTF-8" in html
