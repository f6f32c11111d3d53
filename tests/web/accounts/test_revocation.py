"""Sessions are revocable: signing out, a password change, deactivation and "sign out everywhere"
end every session of the account at once, including cookies copied before."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session


def copied_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client holding the same session cookie: a cookie captured from `client`."""
    cookie = client.get_cookie("pia_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("pia_session", cookie.value)
    return thief


def signed_in(client: FlaskClient, url: str = "/") -> bool:
    return client.get(url).status_code == 200


def test_sign_out_ends_a_copied_cookie(app: Flask, auth) -> None:
    auth.login("officer_a")
    thief = copied_session(app, auth.client)
    assert signed_in(thief)
    assert auth.logout().status_code == 302
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")


def test_sign_out_ends_the_other_devices_too(app: Flask, auth, people) -> None:
    auth.login("officer_a")
    laptop = type(auth)(app.test_client(), people)
    laptop.login("officer_a")
    assert signed_in(laptop.client)
    auth.logout()
    assert not signed_in(laptop.client)
    # Signing in again opens a fresh session that works.
    laptop.login("officer_a")
    assert signed_in(laptop.client)


def test_password_change_ends_existing_sessions(app: Flask, auth, db: Session, people) -> None:
    from pia.store import get_user, set_password

    auth.login("reviewer_a")
    thief = copied_session(app, auth.client)
    assert signed_in(thief, "/review")
    set_password(db, get_user(db, people["reviewer_a"].id), "a brand new passphrase 1")
    assert thief.get("/review").status_code == 302
    assert auth.client.get("/review").status_code == 302


def test_deactivation_ends_sessions_in_every_process(app: Flask, second_app, auth, people) -> None:
    """The admin deactivates through one app; the officer's cookie dies on another."""
    auth.login("officer_a")
    other_process = second_app().test_client()
    other_process.set_cookie("pia_session", auth.client.get_cookie("pia_session").value)
    assert signed_in(other_process)
    admin = type(auth)(app.test_client(), people)
    admin.login("admin")
    response = admin.post(f"/admin/users/{people['officer_a'].id}/deactivate")
    assert response.status_code == 302
    assert not signed_in(other_process)
    assert not signed_in(auth.client)


def test_a_cookie_without_a_session_version_opens_nothing(app: Flask, client, people) -> None:
    """Cookies signed before session versions existed carry none: they are signed out."""
    with client.session_transaction() as session:
        session["user_id"] = people["officer_a"].id
    assert not signed_in(client)
