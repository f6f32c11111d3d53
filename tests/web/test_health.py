"""GET /healthz: database reachability and the bank, as JSON."""

from __future__ import annotations


def test_healthz_ok(client, bank) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": True,
        "bank": {"id": bank.id, "version": bank.version},
    }
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_healthz_degraded_when_the_database_is_unreachable(second_app, bank) -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    app = second_app(PIA_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {
        "status": "degraded",
        "database": False,
        "bank": {"id": bank.id, "version": bank.version},
    }


def test_pages_fail_readably_when_the_database_is_unreachable(second_app) -> None:
    app = second_app(PIA_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    client.set_cookie("pia_session", "")  # no session: the page need not load a user
    with client.session_transaction() as session:
        session["user_id"] = 1
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "OperationalError" not in html
