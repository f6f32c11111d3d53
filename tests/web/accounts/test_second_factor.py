"""The TOTP second factor over HTTP: enrolment with a QR code and a confirming code, the code step
of signing in (limited like passwords, codes never accepted twice), recovery codes, switching it
off, an administrator's reset, and installations that require it for some roles."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

SECRET_TEXT = re.compile(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z0-9-]{19})</code></li>")


def secret_on(page: str) -> str:
    match = SECRET_TEXT.search(page)
    assert match, "the enrolment page shows no secret"
    return match.group(1).replace(" ", "")


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """The code for the current time step, or one either side (within the accepted drift)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(auth) -> tuple[str, list[str]]:
    """Switches the signed-in user's second factor on; -> its secret and recovery codes."""
    page = auth.client.get("/account/second-factor").get_data(as_text=True)
    secret = secret_on(page)
    response = auth.post("/account/second-factor/confirm", {"code": code_at(secret)})
    assert response.status_code == 200
    codes = RECOVERY.findall(response.get_data(as_text=True))
    return secret, codes


def password_step(auth, key: str) -> Any:
    return auth.login(key)


def code_step(auth, code: str) -> Any:
    return auth.client.post(
        "/signin/code", data={"code": code, "csrf_token": token_on(auth.client, "/signin/code")}
    )


def token_on(client: FlaskClient, url: str) -> str:
    match = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get(url).get_data(as_text=True)
    )
    assert match
    return match.group(1)


def events(db: Session, action: str) -> int:
    from pia.store.models import AuditEvent

    db.expire_all()
    return len(list(db.scalars(select(AuditEvent.id).where(AuditEvent.action == action))))


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(
    app: Flask, auth, db: Session, people
) -> None:
    from pia.store import get_user
    from pia.store.second_factor import has_second_factor

    auth.login("officer_a")
    page = auth.client.get("/account/second-factor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code to scan"' in html
    secret = secret_on(html)
    # The QR code carries the same secret: an otpauth address naming the account.
    uri = pyotp.TOTP(secret).provisioning_uri(name=people["officer_a"].email, issuer_name="PIA")
    assert uri.startswith("otpauth://totp/")
    # A reload shows the same secret, so an app that scanned it keeps working.
    assert secret_on(auth.client.get("/account/second-factor").get_data(as_text=True)) == secret

    wrong = auth.post("/account/second-factor/confirm", {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert not has_second_factor(db, get_user(db, people["officer_a"].id))

    laptop = type(auth)(app.test_client(), people)
    laptop.login("officer_a")
    response = auth.post("/account/second-factor/confirm", {"code": code_at(secret)})
    assert response.status_code == 200
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    db.expire_all()
    assert has_second_factor(db, get_user(db, people["officer_a"].id))
    assert events(db, "user.second_factor_enabled") == 1
    # Switching it on ended the other session; this one carries on.
    assert auth.client.get("/").status_code == 200
    assert laptop.client.get("/").status_code == 302
    # Recovery codes are kept as argon2id hashes only.
    from pia.store.models import RecoveryCode

    hashes = list(db.scalars(select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(code in hashes for code in codes)


def test_sign_in_asks_for_the_code_after_the_password(app: Flask, auth, people) -> None:
    auth.login("officer_a")
    secret, _ = enrol(auth)
    auth.logout()

    response = password_step(auth, "officer_a")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signin/code")
    # Between the password and the code the browser is not signed in.
    assert auth.client.get("/").status_code == 302
    page = auth.client.get("/signin/code")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.get_data(as_text=True)

    wrong = code_step(auth, "123456" if code_at(secret, 1) != "123456" else "654321")
    assert wrong.status_code == 401
    assert auth.client.get("/").status_code == 302

    right = code_step(auth, code_at(secret, 1))
    assert right.status_code == 302
    assert auth.client.get("/").status_code == 200


def test_a_code_is_not_accepted_twice(app: Flask, auth, people) -> None:
    auth.login("officer_a")
    secret, _ = enrol(auth)
    auth.logout()
    used = code_at(secret, 1)
    password_step(auth, "officer_a")
    assert code_step(auth, used).status_code == 302
    auth.logout()
    # Seen over a shoulder: the same code, within its window, from another browser.
    other = type(auth)(app.test_client(), people)
    password_step(other, "officer_a")
    assert code_step(other, used).status_code == 401
    assert other.client.get("/").status_code == 302
    # The enrolment's own code (an earlier step) is refused too.
    assert code_step(other, code_at(secret)).status_code == 401


def test_a_recovery_code_signs_in_once(app: Flask, auth, db: Session, people) -> None:
    auth.login("reviewer_a")
    _, codes = enrol(auth)
    auth.logout()
    password_step(auth, "reviewer_a")
    response = code_step(auth, codes[3].upper().replace("-", " "))  # typed loosely
    assert response.status_code == 302
    assert auth.client.get("/review").status_code == 200
    assert events(db, "user.recovery_code_used") == 1
    auth.logout()
    password_step(auth, "reviewer_a")
    assert code_step(auth, codes[3]).status_code == 401
    assert code_step(auth, codes[4]).status_code == 302


def test_wrong_codes_count_against_the_sign_in_limit(app: Flask, auth, db: Session) -> None:
    auth.login("officer_a")
    secret, _ = enrol(auth)
    auth.logout()
    password_step(auth, "officer_a")  # attempt 1 of 5: the password, right
    wrong = "000000" if code_at(secret, 1) != "000000" else "111111"
    for _ in range(4):  # attempts 2 to 5
        assert code_step(auth, wrong).status_code == 401
    limited = code_step(auth, code_at(secret, 1))
    assert limited.status_code == 429
    assert "Too many failed sign-ins" in limited.get_data(as_text=True)
    assert auth.client.get("/").status_code == 302
    assert events(db, "signin.second_factor_failed") == 4


def test_the_code_step_needs_a_password_first_and_runs_out(app: Flask, client, auth) -> None:
    response = client.get("/signin/code")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signin")
    auth.login("officer_a")
    enrol(auth)
    auth.logout()
    password_step(auth, "officer_a")
    with auth.client.session_transaction() as session:
        pending = dict(session["pending_second_factor"])
        pending["at"] -= 3600
        session["pending_second_factor"] = pending
    assert auth.client.get("/signin/code").status_code == 303
    with auth.client.session_transaction() as session:
        assert "pending_second_factor" not in session


def test_switching_off_needs_the_password(app: Flask, auth, db: Session, people) -> None:
    from pia.store import get_user
    from pia.store.second_factor import has_second_factor

    auth.login("officer_a")
    enrol(auth)
    page = auth.client.get("/account/second-factor").get_data(as_text=True)
    assert "10 unused recovery codes" in page
    laptop = type(auth)(app.test_client(), people)
    wrong = auth.post("/account/second-factor/disable", {"password": "not my password"})
    assert wrong.status_code == 400
    assert "That password is not right" in wrong.get_data(as_text=True)
    assert has_second_factor(db, get_user(db, people["officer_a"].id))
    off = auth.post("/account/second-factor/disable", {"password": people["officer_a"].password})
    assert off.status_code == 303
    db.expire_all()
    assert not has_second_factor(db, get_user(db, people["officer_a"].id))
    assert events(db, "user.second_factor_disabled") == 1
    assert auth.client.get("/").status_code == 200
    auth.logout()
    # Sign-in asks for the password alone again.
    assert laptop.login("officer_a").status_code == 302
    assert laptop.client.get("/").status_code == 200


def test_an_admin_resets_a_second_factor(app: Flask, auth, db: Session, people) -> None:
    from pia.store import get_user
    from pia.store.second_factor import has_second_factor

    auth.login("officer_a")
    enrol(auth)
    admin = type(auth)(app.test_client(), people)
    admin.login("admin")
    officer_id = people["officer_a"].id
    page = admin.client.get(f"/admin/users/{officer_id}").get_data(as_text=True)
    assert "Reset the second factor" in page
    response = admin.post(f"/admin/users/{officer_id}/second-factor/reset")
    assert response.status_code == 303
    db.expire_all()
    assert not has_second_factor(db, get_user(db, officer_id))
    assert events(db, "user.second_factor_reset") == 1
    assert auth.client.get("/").status_code == 302  # the officer's session ended
    # Only an administrator may reset one.
    auth.login("officer_a")
    assert auth.post(f"/admin/users/{people['reviewer_a'].id}/second-factor/reset").status_code in (
        403,
        404,
    )


class TestRequiredForSomeRoles:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"PIA_REQUIRE_SECOND_FACTOR": "reviewer, admin"}

    def test_a_reviewer_without_one_can_only_enrol(self, app: Flask, auth, people) -> None:
        response = auth.login("reviewer_a")
        assert response.status_code == 302
        sent = auth.client.get("/review")
        assert sent.status_code == 303
        assert sent.headers["Location"].endswith("/account/second-factor")
        assert auth.client.get("/account").status_code == 303
        script = auth.client.get("/review", headers={"Accept": "application/json"})
        assert script.status_code == 403
        page = auth.client.get("/account/second-factor").get_data(as_text=True)
        assert "requires a second factor for your role" in page
        enrol(auth)
        assert auth.client.get("/review").status_code == 200
        auth.logout()
        # From now on the code is asked for at sign-in.
        assert auth.login("reviewer_a").headers["Location"].endswith("/signin/code")

    def test_officers_are_not_asked(self, app: Flask, auth) -> None:
        auth.login("officer_a")
        assert auth.client.get("/").status_code == 200

    def test_an_admin_reset_sends_them_back_to_enrolment(
        self, app: Flask, auth, db: Session, people
    ) -> None:
        from pia.store import get_user
        from pia.store.second_factor import reset_second_factor

        auth.login("reviewer_a")
        enrol(auth)
        assert auth.client.get("/review").status_code == 200
        admin = db.get(type(get_user(db, people["admin"].id)), people["admin"].id)
        reset_second_factor(db, get_user(db, people["reviewer_a"].id), admin)
        auth.login("reviewer_a")
        assert auth.client.get("/review").status_code == 303


def test_an_unknown_role_in_the_setting_stops_the_app(second_app) -> None:
    from pia.errors import PiaError

    with pytest.raises(PiaError, match="PIA_REQUIRE_SECOND_FACTOR"):
        second_app(PIA_REQUIRE_SECOND_FACTOR="reviewers")


def test_new_recovery_codes_replace_the_old_ones(app: Flask, auth, db: Session, people) -> None:
    auth.login("officer_a")
    _, old_codes = enrol(auth)
    wrong = auth.post("/account/second-factor/recovery-codes", {"codes-password": "not it"})
    assert wrong.status_code == 400
    assert "The password is not right" in wrong.get_data(as_text=True)
    response = auth.post(
        "/account/second-factor/recovery-codes", {"codes-password": people["officer_a"].password}
    )
    assert response.status_code == 200
    new_codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert events(db, "user.recovery_codes_replaced") == 1
    auth.logout()
    password_step(auth, "officer_a")
    assert code_step(auth, old_codes[0]).status_code == 401
    assert code_step(auth, new_codes[0]).status_code == 302
