"""Signing in and out: argon2id via the store, one message for every failure, rate limiting,
session fixation, safe redirects, deactivated accounts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from pia.web.accounts.views import SIGNIN_FAILED, safe_next
from pia.web.shared.security import SigninLimiter


def page_text(response) -> str:
    """The page without its per-session CSRF tokens, for comparing two responses."""
    return re.sub(r'(content|value)="[^"]*\.[^"]*"', "", response.get_data(as_text=True))


def test_signin_page_has_labelled_fields_and_csrf(client: FlaskClient) -> None:
    response = client.get("/signin")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'name="csrf_token"' in html
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize(
    ("key", "home"), [("officer_a", "/"), ("reviewer_a", "/review"), ("admin", "/admin/")]
)
def test_signin_sends_each_role_home(auth, key: str, home: str) -> None:
    response = auth.login(key)
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert auth.client.get(home, follow_redirects=True).status_code == 200


def test_session_cookie_is_httponly_and_samesite(auth) -> None:
    cookie = auth.login().headers["Set-Cookie"]
    assert "pia_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_by_default(
    auth, people, second_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIA_INSECURE_COOKIES", raising=False)
    app = second_app(SESSION_COOKIE_SECURE=None)  # None: the app decides
    assert app.config["SESSION_COOKIE_SECURE"] is True
    # Over https the test client keeps and sends Secure cookies.
    secure_auth = type(auth)(app.test_client(), people)
    response = secure_auth.client.post(
        "https://localhost/signin",
        data={
            "email": people["admin"].email,
            "password": people["admin"].password,
            "csrf_token": secure_auth.csrf_token(),
        },
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_insecure_cookies_only_when_asked(second_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_INSECURE_COOKIES", "1")
    app = second_app(SESSION_COOKIE_SECURE=None)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_wrong_password_and_unknown_email_look_the_same(auth, client: FlaskClient, people) -> None:
    wrong = client.post(
        "/signin",
        data={
            "email": people["officer_a"].email,
            "password": "not the password",
            "csrf_token": auth.csrf_token(),
        },
    )
    unknown = client.post(
        "/signin",
        data={
            "email": "nobody@example.gov",
            "password": "not the password",
            "csrf_token": auth.csrf_token(),
        },
    )
    assert wrong.status_code == unknown.status_code == 401
    assert SIGNIN_FAILED in wrong.get_data(as_text=True)
    # Apart from the email typed back into the form, the two pages are identical.
    assert page_text(wrong).replace(people["officer_a"].email, "E") == page_text(unknown).replace(
        "nobody@example.gov", "E"
    )
    assert client.get("/").status_code == 302  # still signed out


def test_deactivated_account_gets_the_same_message(auth, db, people) -> None:
    from pia.store import get_user, update_user

    update_user(db, get_user(db, people["officer_b"].id), None, active=False)
    db.commit()
    response = auth.login("officer_b")
    assert response.status_code == 401
    assert SIGNIN_FAILED in response.get_data(as_text=True)


def test_empty_fields_show_errors_beside_fields_and_in_summary(auth) -> None:
    response = auth.client.post("/signin", data={"csrf_token": auth.csrf_token()})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#email"' in html and "Enter your email address." in html
    assert 'id="password-error"' in html


def test_rate_limit_after_five_failures_even_with_the_right_password(auth, people) -> None:
    for _ in range(5):
        assert auth.login("officer_a", password="wrong password!").status_code == 401
    blocked = auth.login("officer_a")
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in html and "<h1>Too many attempts</h1>" in html
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Traceback" not in html
    # Another account from the same address is not affected.
    assert auth.login("officer_b").status_code == 302


def test_rate_limit_applies_to_unknown_emails_alike(auth) -> None:
    """The limiter counts by email as typed, so a 429 says nothing about whether it exists."""
    client = auth.client
    statuses = [
        client.post(
            "/signin",
            data={
                "email": "ghost@example.gov",
                "password": "x" * 12,
                "csrf_token": auth.csrf_token(),
            },
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_limiter_forgets_failures_after_the_window(db) -> None:
    now = [datetime(2026, 11, 29, 12, 0, tzinfo=UTC)]
    limiter = SigninLimiter(max_failures=2, window_seconds=60, clock=lambda: now[0])
    limiter.record_failure(db, "A@x.gov", "1.2.3.4")
    now[0] += timedelta(seconds=10)
    limiter.record_failure(db, "a@x.gov", "1.2.3.4")  # the same key: email as typed, lower-cased
    assert limiter.blocked(db, "a@x.gov", "1.2.3.4") == pytest.approx(50)
    assert limiter.blocked(db, "a@x.gov", "5.6.7.8") == 0
    assert limiter.blocked(db, "b@x.gov", "1.2.3.4") == 0
    now[0] += timedelta(seconds=30)
    assert limiter.blocked(db, "a@x.gov", "1.2.3.4") == pytest.approx(20)
    now[0] += timedelta(seconds=21)  # the first failure has left the window
    assert limiter.blocked(db, "a@x.gov", "1.2.3.4") == 0
    limiter.record_failure(db, "a@x.gov", "1.2.3.4")
    assert limiter.blocked(db, "a@x.gov", "1.2.3.4") > 0
    limiter.reset(db, "a@x.gov", "1.2.3.4")
    assert limiter.blocked(db, "a@x.gov", "1.2.3.4") == 0


def test_limiter_keeps_one_window_of_failures_and_no_emails_or_addresses(db) -> None:
    from sqlalchemy import select

    from pia.store.models import SigninFailure

    now = [datetime(2026, 11, 29, 12, 0, tzinfo=UTC)]
    limiter = SigninLimiter(max_failures=5, window_seconds=60, clock=lambda: now[0])
    for number in range(3):
        limiter.record_failure(db, f"user{number}@x.gov", "10.0.0.7")
    now[0] += timedelta(seconds=61)
    limiter.record_failure(db, "late@x.gov", "10.0.0.7")
    rows = db.scalars(select(SigninFailure)).all()
    assert len(rows) == 1  # the three older failures were deleted
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0].key)


def test_every_app_process_shares_the_sign_in_limit(app, second_app, people) -> None:
    """Two app instances on one database stand for two gunicorn workers."""
    other = second_app()
    clients = [app.test_client(), other.test_client()]

    def attempt(client: FlaskClient, password: str) -> int:
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/signin").text)
        data = {"email": people["officer_a"].email, "password": password}
        return client.post("/signin", data={**data, "csrf_token": token.group(1)}).status_code

    statuses = [attempt(clients[n % 2], "wrong password!") for n in range(5)]
    assert statuses == [401] * 5
    assert attempt(clients[0], people["officer_a"].password) == 429
    assert attempt(clients[1], people["officer_a"].password) == 429


def test_signin_clears_the_session_first(auth, client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
        assert isinstance(session["user_id"], int)


def test_signin_follows_a_local_next(auth, client: FlaskClient, people) -> None:
    first = client.get("/admin/bank")
    assert first.status_code == 302
    assert first.headers["Location"] == "/signin?next=/admin/bank"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/admin/bank"' in page
    response = client.post(
        "/signin",
        data={
            "email": people["admin"].email,
            "password": people["admin"].password,
            "next": "/admin/bank",
            "csrf_token": auth.csrf_token(),
        },
    )
    assert response.headers["Location"] == "/admin/bank"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "x"],
)
def test_signin_ignores_a_next_that_leaves_the_site(
    auth, client: FlaskClient, people, target: str
) -> None:
    assert safe_next(target) is None
    response = client.post(
        "/signin",
        data={
            "email": people["officer_a"].email,
            "password": people["officer_a"].password,
            "next": target,
            "csrf_token": auth.csrf_token(),
        },
    )
    assert response.headers["Location"] == "/"


def test_signout_needs_post_and_ends_the_session(auth, client: FlaskClient) -> None:
    auth.login()
    assert client.get("/").status_code == 200
    assert client.get("/signout").status_code == 405
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    assert client.get("/").status_code == 302


def test_deactivation_ends_an_open_session(auth, client: FlaskClient, db, people) -> None:
    from pia.store import get_user, update_user

    auth.login("officer_a")
    assert client.get("/").status_code == 200
    update_user(db, get_user(db, people["officer_a"].id), None, active=False)
    db.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")


def test_signed_in_user_visiting_signin_goes_home(auth, client: FlaskClient) -> None:
    auth.login("reviewer_a")
    response = client.get("/signin")
    assert response.status_code == 302 and response.headers["Location"] == "/review"


def test_unknown_email_costs_one_password_verification_like_a_wrong_password(
    auth, people, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing does not reveal accounts: both failures verify one argon2id hash (not timed)."""
    from pia.store import accounts

    real = accounts.hasher()
    verified: list[str] = []

    class CountingHasher:
        def __getattr__(self, name: str):
            return getattr(real, name)

        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored.split("$")[1])
            return real.verify(stored, password)

    monkeypatch.setattr(accounts, "hasher", lambda: CountingHasher())
    auth.login("officer_a", password="wrong password!")
    wrong = list(verified)
    verified.clear()
    auth.client.post(
        "/signin",
        data={
            "email": "nobody@example.gov",
            "password": "wrong password!",
            "csrf_token": auth.csrf_token(),
        },
    )
    assert wrong == verified == ["argon2id"]


def test_session_lasts_eight_hours_from_signin_without_refreshing(auth) -> None:
    cookie = auth.login().headers["Set-Cookie"]
    assert "Expires=" in cookie
    auth.client.get("/")  # the first page after sign-in adds a fresh CSRF token to the session
    assert auth.client.get("/").headers.get("Set-Cookie") is None
    assert auth.client.application.permanent_session_lifetime.total_seconds() == 8 * 3600
