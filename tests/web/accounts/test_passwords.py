"""Changing one's own password, signing out everywhere, and the administrator's single-use,
expiring reset link; each ends the account's other sessions."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

NEW_PASSWORD = "a completely new passphrase"


def another_device(app: Flask, auth, key: str):
    other = type(auth)(app.test_client(), auth.people)
    assert other.login(key).status_code == 302
    return other


def signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def test_changing_my_password_needs_the_current_one_and_ends_other_sessions(
    app: Flask, auth, people
) -> None:
    auth.login("officer_a")
    laptop = another_device(app, auth, "officer_a")
    wrong = auth.post(
        "/account",
        {"current_password": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    assert "The current password is not right." in wrong.get_data(as_text=True)
    assert signed_in(laptop.client)
    mismatch = auth.post(
        "/account",
        {
            "current_password": people["officer_a"].password,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD + "x",
        },
    )
    assert mismatch.status_code == 400
    changed = auth.post(
        "/account",
        {
            "current_password": people["officer_a"].password,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert signed_in(auth.client)  # this session carries on
    assert not signed_in(laptop.client)  # the other one ended
    fresh = type(auth)(app.test_client(), people)
    assert fresh.login("officer_a").status_code == 401
    assert fresh.login("officer_a", password=NEW_PASSWORD).status_code == 302


def test_sign_out_everywhere(app: Flask, auth) -> None:
    auth.login("reviewer_a")
    laptop = another_device(app, auth, "reviewer_a")
    assert auth.post("/account/signout-everywhere").status_code == 302
    assert not signed_in(auth.client)
    assert not signed_in(laptop.client)


def issue_link(auth, user_id: int) -> str:
    auth.login("admin")
    page = auth.post(f"/admin/users/{user_id}/reset-link")
    assert page.status_code == 200
    match = re.search(r'value="(http://localhost/reset/[^"]+)"', page.get_data(as_text=True))
    assert match
    return match.group(1).removeprefix("http://localhost")


def test_an_admin_reset_link_works_once(app: Flask, auth, people) -> None:
    officer = another_device(app, auth, "officer_b")
    link = issue_link(auth, people["officer_b"].id)
    visitor = type(auth)(app.test_client(), people)
    assert visitor.client.get(link).status_code == 200
    token = visitor.csrf_token()
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
    assert visitor.client.post(link, data=data).status_code == 302
    assert not signed_in(officer.client)  # sessions from before the reset have ended
    assert visitor.login("officer_b", password=NEW_PASSWORD).status_code == 302
    again = app.test_client()
    assert again.get(link).status_code == 404
    data["password"] = data["confirm"] = "yet another passphrase"
    assert again.post(link, data={**data, "csrf_token": token}).status_code in (400, 404)
    assert visitor.login("officer_b", password=NEW_PASSWORD).status_code == 302


def test_a_new_link_replaces_the_old_and_links_expire(
    app: Flask, auth, db: Session, people
) -> None:
    from pia.store import get_user
    from pia.store.passwords import issue_reset

    first = issue_link(auth, people["officer_a"].id)
    second = issue_link(auth, people["officer_a"].id)
    client = app.test_client()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    admin = get_user(db, people["admin"].id)
    expired = issue_reset(db, get_user(db, people["officer_a"].id), admin, lifetime=timedelta(0))
    assert client.get(f"/reset/{expired}").status_code == 404
    assert client.get("/reset/not-a-real-token").status_code == 404


def test_only_admins_issue_reset_links(auth, people) -> None:
    auth.login("officer_a")
    assert auth.post(f"/admin/users/{people['officer_b'].id}/reset-link").status_code == 403
