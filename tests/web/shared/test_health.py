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


def test_pia_serve_runs_gunicorn_and_answers(tmp_path, sqlite_url: str) -> None:
    """The quick start's last step: `pia serve` prints its URL and serves the app."""
    import http.client
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    from pia.store.db import upgrade

    upgrade(sqlite_url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PIA_DATABASE_URL": sqlite_url,
        "PIA_INSTANCE": str(tmp_path / "instance"),
        "PIA_INSECURE_COOKIES": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "pia", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline().decode()
        assert first_line.strip() == (
            f"pia: serving on http://127.0.0.1:{port}/ (press Ctrl+C to stop)"
        )
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                status, body = response.status, response.read()
                connection.close()
            except OSError:
                time.sleep(0.2)
        assert status == 200, "no answer from pia serve"
        assert b'"status":"ok"' in body.replace(b" ", b"")
        assert (tmp_path / "instance" / "secret_key").exists()  # generated once, kept
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        if server.stdout is not None:
            server.stdout.close()


def test_pia_serve_refuses_a_bad_bank(tmp_path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "bank").mkdir()
    env = {
        **os.environ,
        "PIA_BANK": str(tmp_path / "bank"),
        "PIA_INSTANCE": str(tmp_path / "instance"),
        "PIA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pia", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("pia: the question bank has")
    assert "no-bank" in result.stderr
    assert "Traceback" not in result.stderr


def test_pia_serve_refuses_an_unmigrated_database(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PIA_INSTANCE": str(tmp_path / "instance"),
        "PIA_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pia", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "run `pia db upgrade` first" in result.stderr
