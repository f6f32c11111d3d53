"""Security headers on every response, CSRF on every form, no inline script or style, and user
text escaped wherever it is shown."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from pia.web.shared.security import SECURITY_HEADERS

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
TAG = re.compile(r"<[a-zA-Z][^>]*>")
INLINE_IN_TAG = re.compile(r"^<script(?![^>]*\bsrc=)|^<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Tags that carry inline script or style (which the CSP would block anyway)."""
    return [tag for tag in TAG.findall(html) if INLINE_IN_TAG.search(tag)]


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    def explode() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_security_headers_on_every_kind_of_response(failing_app: Flask) -> None:
    client = failing_app.test_client()
    responses = {
        "page": client.get("/signin"),
        "redirect": client.get("/"),
        "not found": client.get("/missing"),
        "bad method": client.put("/signin"),
        "csrf failure": client.post("/signin", data={"email": "a@b.gov"}),
        "server error": client.get("/explode"),
        "json": client.get("/healthz"),
        "static": client.get("/static/pia.css"),
    }
    expected_status = {
        "page": 200,
        "redirect": 302,
        "not found": 404,
        "bad method": 405,
        "csrf failure": 400,
        "server error": 500,
        "json": 200,
        "static": 200,
    }
    for name, response in responses.items():
        assert response.status_code == expected_status[name], name
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, (name, header)
        response.close()
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert responses["page"].headers["Cache-Control"] == "no-store"


def test_csrf_token_is_required_for_signed_in_posts(auth, db) -> None:
    from pia.store.models import Assessment

    auth.login("officer_a")
    response = auth.client.post("/assessments/new", data={"title": "No token"})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    bad = auth.client.post("/assessments/new", data={"title": "Bad", "csrf_token": "forged"})
    assert bad.status_code == 400
    assert db.query(Assessment).count() == 0


def test_csrf_token_in_a_header_is_accepted(auth, bank, db) -> None:
    """Scripts (autosave) send the token from the meta tag in X-CSRFToken."""
    from pia.store.models import Assessment

    auth.login("officer_a")
    response = auth.client.post(
        "/assessments/new",
        data={
            "title": "Sent by a script",
            "technology": "face recognition",
            "vendor": "V",
            "product": "P",
            "product_version": "1",
        },
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 302
    assert db.query(Assessment).count() == 1


def assert_escaped(html: str, where: str) -> None:
    assert PAYLOAD not in html, where
    assert ESCAPED in html, where
    assert inline_code(html) == [], where


def test_text_from_officers_is_escaped_on_every_page(
    auth, bank, db, people, complete_answers
) -> None:
    from pia.engine.bank import model
    from pia.store import create_assessment, get_assessment, save_answers, submit
    from pia.store.models import User

    officer = db.get(User, people["officer_a"].id)
    assessment = create_assessment(
        db,
        bank,
        officer,
        title=PAYLOAD,
        technology=PAYLOAD,
        vendor=PAYLOAD,
        product=PAYLOAD,
        product_version=PAYLOAD[:100],
        profiles=[],
    )
    texts = {
        q.id: PAYLOAD for q in bank.questions.values() if q.type in (model.TEXT, model.LONGTEXT)
    }
    assert texts, "the bank has text questions"
    save_answers(
        db,
        bank,
        assessment,
        officer,
        values={**complete_answers, **texts},
        notes={qid: PAYLOAD for qid in complete_answers},
        expected_version=assessment.lock_version,
    )
    db.commit()
    db.expire_all()
    assessment = get_assessment(db, assessment.id)
    submit(db, bank, assessment, officer, assessment.lock_version)
    db.commit()

    auth.login("officer_a")
    for path in ("/", f"/assessments/{assessment.id}", f"/assessments/{assessment.id}/revisions/1"):
        assert_escaped(auth.client.get(path).get_data(as_text=True), path)
    auth.logout()
    auth.login("reviewer_a")
    for path in ("/review", f"/assessments/{assessment.id}/revisions/1"):
        html = auth.client.get(path).get_data(as_text=True)
        assert_escaped(html, path)
    revision = auth.client.get(f"/assessments/{assessment.id}/revisions/1").get_data(as_text=True)
    assert revision.count("Note: " + ESCAPED) >= len(complete_answers) // 2


def test_text_from_admins_is_escaped(auth, people) -> None:
    auth.login("admin")
    assert auth.post("/admin/agencies", {"name": PAYLOAD}).status_code == 302
    response = auth.post(
        "/admin/users",
        {
            "email": "x@example.gov",
            "name": PAYLOAD,
            "role": "reviewer",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    for path in ("/admin/agencies", "/admin/users"):
        assert_escaped(auth.client.get(path).get_data(as_text=True), path)


def test_signin_next_is_escaped(client) -> None:
    html = client.get("/signin", query_string={"next": '/x"><script>alert(1)</script>'}).get_data(
        as_text=True
    )
    assert "<script>alert(1)" not in html
    assert inline_code(html) == []


def test_hsts_only_over_https(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/signin").headers
    secure = client.get("https://localhost/signin")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pia.web.shared.config import secret_key

    monkeypatch.delenv("PIA_SECRET_KEY", raising=False)
    first = secret_key(tmp_path / "instance")
    assert len(first) == 64 and int(first, 16) >= 0
    assert secret_key(tmp_path / "instance") == first  # a restart keeps sessions valid
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only
    monkeypatch.setenv("PIA_SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path / "instance") == "from-the-environment"


def test_app_uses_the_kept_secret_key(second_app, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("PIA_SECRET_KEY", raising=False)
    first = second_app(SECRET_KEY=None, INSTANCE_PATH=str(tmp_path / "kept"))
    again = second_app(SECRET_KEY=None, INSTANCE_PATH=str(tmp_path / "kept"))
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"]
    assert (tmp_path / "kept" / "secret_key").read_text() == first.config["SECRET_KEY"]
