"""Error pages: readable HTML in the layout (JSON for JSON clients), never a traceback."""

from __future__ import annotations

import pytest
from flask import Flask


def test_404_is_a_page_in_the_layout(client) -> None:
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'href="#main"' in html and '<main id="main"' in html  # the base layout


def test_404_as_json_for_json_clients(client) -> None:
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {
        "error": "Page not found",
        "message": response.json["message"],
        "status": 404,
    }


def test_405_keeps_the_allow_header(client) -> None:
    response = client.delete("/signin")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]
    assert "That action is not available here" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    def explode() -> str:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # handle it as production would
    return app


def test_500_is_logged_and_shown_without_a_traceback(
    failing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = failing_app.test_client().get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html and "Traceback" not in html
    assert "secret internal detail" in caplog.text  # the log has it, the person does not
    assert response.headers["X-Frame-Options"] == "DENY"


def test_500_as_json(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/explode", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.json["status"] == 500
    assert "secret" not in response.get_data(as_text=True)


@pytest.fixture
def app_config() -> dict:
    return {"MAX_CONTENT_LENGTH": 2048}


def test_413_for_an_oversized_request(auth) -> None:
    auth.login("admin")
    response = auth.post("/admin/agencies", {"name": "x" * 10_000})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The upload is too large" in html
    assert "Files can be at most 10 MB" in html


def test_csrf_failure_is_a_readable_400(client) -> None:
    response = client.post("/signin", data={"email": "a@b.gov", "password": "whatever pw"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form has expired or did not come from this site" in html
    assert "<h1>The request could not be used</h1>" in html


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (400, "The request could not be used"),
        (403, "You are not allowed to do that"),
        (404, "Page not found"),
        (405, "That action is not available here"),
        (409, "Someone else changed this first"),
        (413, "The upload is too large"),
        (429, "Too many attempts"),
        (500, "Something went wrong on our side"),
    ],
)
def test_every_error_page_is_readable_html_or_json(app: Flask, code: int, title: str) -> None:
    from flask import abort

    app.add_url_rule("/fail", "fail", lambda: abort(code))
    client = app.test_client()
    page = client.get("/fail")
    html = page.get_data(as_text=True)
    assert page.status_code == code
    assert f"<h1>{title}</h1>" in html and f"Error {code}" in html
    assert '<main id="main"' in html and "Traceback" not in html
    data = client.get("/fail", headers={"Accept": "application/json"})
    assert data.status_code == code
    assert data.json["error"] == title and data.json["status"] == code


def test_upload_limit_comes_from_the_environment(second_app, monkeypatch) -> None:
    monkeypatch.setenv("PIA_MAX_UPLOAD_MB", "2.5")
    app = second_app()
    assert app.config["PIA_MAX_UPLOAD_MB"] == 2.5
    # Room for the multipart framing around a file of exactly the limit.
    assert app.config["MAX_CONTENT_LENGTH"] > 2.5 * 1024 * 1024
    with app.app_context():
        from pia.web.shared.config import max_upload_bytes

        assert max_upload_bytes() == int(2.5 * 1024 * 1024)


@pytest.mark.parametrize("raw", ["ten", "-1", "0"])
def test_bad_upload_limit_stops_the_app_with_a_message(second_app, monkeypatch, raw) -> None:
    from pia.errors import PiaError

    monkeypatch.setenv("PIA_MAX_UPLOAD_MB", raw)
    with pytest.raises(PiaError, match="PIA_MAX_UPLOAD_MB must be"):
        second_app()
