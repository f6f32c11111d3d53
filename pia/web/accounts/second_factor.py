"""The second factor in the browser: the code step of signing in (GET/POST /signin/code), the
enrolment page (GET /account/second-factor: a QR code and the secret as text; POST .../confirm:
a code from the app switches it on and shows the recovery codes once), switching it off (POST
.../disable, password required), and the rule an installation sets with
PIA_REQUIRE_SECOND_FACTOR: a signed-in user of a listed role who has no second factor reaches
nothing but the enrolment page and sign-out.

Between the password and the code the browser is not signed in: its session holds only the
account waiting for a code, for PENDING_SECONDS, at the session version it had.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import segno
from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from pia.web.accounts.views import (
    bp,
    complete_signin,
    home_for,
    limiter,
    refuse_when_limited,
)
from pia.web.shared.access import (
    SECOND_FACTOR_KEY,
    SESSION_VERSION_KEY,
    current_user,
    signed_in_id,
    signin_redirect,
    wants_json,
)
from pia.web.shared.db import get_session

if TYPE_CHECKING:
    from pia.store.models import User

PENDING_KEY = "pending_second_factor"
# The secret being enrolled, until a code confirms it: in the signed session (which only this
# browser holds), so a reload shows the same secret to an app that has scanned it already.
ENROLMENT_KEY = "enrolment_secret"
PENDING_SECONDS = 300
ISSUER = "PIA"
# What a user who must enrol may still reach.
ENROLMENT_ENDPOINTS = frozenset(
    {
        "accounts.second_factor",
        "accounts.second_factor_confirm",
        "accounts.signout",
        "accounts.signin",
        "shared.health",
        "static",
    }
)
CODE_FAILED = "That code is not right. Type the 6 digits your app shows now, or a recovery code."


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[DataRequired("Enter the code from your authenticator app."), Length(max=64)],
        description="The 6-digit code your authenticator app shows for this account, or one "
        "of your recovery codes.",
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class EnrolForm(FlaskForm):
    code = StringField(
        "Code from the app",
        validators=[DataRequired("Enter the 6-digit code the app shows."), Length(max=64)],
        description="After adding the account, type the 6-digit code the app shows for it.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class DisableForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


def begin_code_step(user: User, next_url: str | None) -> None:
    """The password was right and the account has a second factor: wait for its code."""
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id,
        "version": user.session_version,
        "at": int(time.time()),
        "next": next_url or "",
    }


def _pending_user() -> User | None:
    from pia.store.lookup import load_user

    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    if not isinstance(pending.get("at"), int) or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = load_user(get_session(), pending["user"])
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/signin/code", methods=["GET", "POST"])
def signin_code() -> Any:
    from pia.store.second_factor import check_second_factor

    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash("Sign in again: the time to give a code ran out, or you had not signed in.", "error")
        return redirect(url_for("accounts.signin"), 303)
    form = CodeForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/signin_code.html", form=form, failed=None), status
    from pia.web.accounts.device import known_device

    db = get_session()
    address = request.remote_addr or "unknown"
    known = known_device(user.email)
    wait = limiter().take(db, user.email, address, known_device=known)
    refuse_when_limited(wait)
    method = check_second_factor(db, user, form.code.data)
    if method is None:
        form.code.data = ""
        return render_template("accounts/signin_code.html", form=form, failed=CODE_FAILED), 401
    limiter().succeeded(db, user.email, address, known_device=known)
    next_url = session[PENDING_KEY].get("next") or None
    response = complete_signin(user, next_url, second_factor=True)
    if method == "recovery":
        flash(
            "You signed in with a recovery code; it cannot be used again. If your phone is "
            "lost, switch the second factor off and on again to get new codes.",
            "success",
        )
    return response


def _qr_svg(uri: str) -> Markup:
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your app", dark="#000")
    # An image with a name for assistive technology; the secret is also given as text. The SVG is
    # segno's own output for our otpauth address: paths and a fixed title, no user text.
    named = svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan" ', 1)
    return Markup(named)  # noqa: S704


def _signed_in_or_redirect() -> User:
    user = current_user()
    if user is None:
        signin_redirect()
    assert user is not None
    return user


def _enrolment_page(user: User, form: EnrolForm, status: int = 200) -> tuple[str, int]:
    from pia.store.second_factor import is_secret, new_secret, provisioning_uri

    secret = session.get(ENROLMENT_KEY)
    if not is_secret(secret):
        secret = session[ENROLMENT_KEY] = new_secret()
    uri = provisioning_uri(secret, user.email, ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    page = render_template(
        "accounts/second_factor_enrol.html",
        form=form,
        qr=_qr_svg(uri),
        secret=grouped,
        required=user.role in current_app.config["PIA_REQUIRE_SECOND_FACTOR"],
    )
    return page, status


@bp.get("/account/second-factor")
def second_factor() -> Any:
    from pia.store.second_factor import has_second_factor, recovery_codes_left

    user = _signed_in_or_redirect()
    db = get_session()
    if not has_second_factor(db, user):
        return _enrolment_page(user, EnrolForm())
    return render_template(
        "accounts/second_factor.html",
        form=DisableForm(),
        codes_form=DisableForm(prefix="codes"),
        codes_left=recovery_codes_left(db, user),
        required=user.role in current_app.config["PIA_REQUIRE_SECOND_FACTOR"],
    )


@bp.post("/account/second-factor/confirm")
def second_factor_confirm() -> Any:
    from pia.store import InvalidInput
    from pia.store.second_factor import confirm_enrolment, has_second_factor

    user = _signed_in_or_redirect()
    db = get_session()
    if has_second_factor(db, user):
        return redirect(url_for("accounts.second_factor"), 303)
    form = EnrolForm()
    if not form.validate_on_submit():
        return _enrolment_page(user, form, 400)
    try:
        codes = confirm_enrolment(db, user, session.get(ENROLMENT_KEY, ""), form.code.data)
    except InvalidInput as error:
        db.rollback()
        form.code.errors = [str(error)[:1].upper() + str(error)[1:] + "."]
        form.code.data = ""
        return _enrolment_page(user, form, 400)
    # Every other session ended; this one carries on, now with the factor.
    session[SESSION_VERSION_KEY] = user.session_version
    session[SECOND_FACTOR_KEY] = True
    session.pop(ENROLMENT_KEY, None)
    return render_template("accounts/recovery_codes.html", codes=codes, home=home_for(user))


@bp.post("/account/second-factor/disable")
def second_factor_disable() -> Any:
    from pia.store import InvalidInput
    from pia.store.second_factor import disable_second_factor, recovery_codes_left

    user = _signed_in_or_redirect()
    form = DisableForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            disable_second_factor(db, user, form.password.data)
        except InvalidInput:
            db.rollback()
            form.password.errors = ["That password is not right."]
        else:
            session[SESSION_VERSION_KEY] = user.session_version
            session.pop(SECOND_FACTOR_KEY, None)
            flash("The second factor is off. You were signed out everywhere else.", "success")
            return redirect(url_for("accounts.second_factor"), 303)
    page = render_template(
        "accounts/second_factor.html",
        form=form,
        codes_form=DisableForm(prefix="codes"),
        codes_left=recovery_codes_left(db, user),
        required=user.role in current_app.config["PIA_REQUIRE_SECOND_FACTOR"],
    )
    return page, 400


@bp.post("/account/second-factor/recovery-codes")
def recovery_codes_replace() -> Any:
    from pia.store import InvalidInput
    from pia.store.second_factor import recovery_codes_left, replace_recovery_codes

    user = _signed_in_or_redirect()
    form = DisableForm(prefix="codes")
    db = get_session()
    if form.validate_on_submit():
        try:
            codes = replace_recovery_codes(db, user, form.password.data)
        except InvalidInput as error:
            db.rollback()
            form.password.errors = [str(error)[:1].upper() + str(error)[1:] + "."]
        else:
            return render_template(
                "accounts/recovery_codes.html", codes=codes, home=home_for(user), replaced=True
            )
    page = render_template(
        "accounts/second_factor.html",
        form=DisableForm(),
        codes_form=form,
        codes_left=recovery_codes_left(db, user),
        required=user.role in current_app.config["PIA_REQUIRE_SECOND_FACTOR"],
    )
    return page, 400


@bp.before_app_request
def require_enrolment() -> Any:
    """PIA_REQUIRE_SECOND_FACTOR: a signed-in user of a listed role without a second factor is
    sent to enrolment. Sessions opened with a code carry a flag, so they cost no query here."""
    required = current_app.config["PIA_REQUIRE_SECOND_FACTOR"]
    if not required or signed_in_id() is None or session.get(SECOND_FACTOR_KEY):
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    from pia.store.second_factor import has_second_factor

    user = current_user()
    if user is None or user.role not in required:
        return None
    if has_second_factor(get_session(), user):
        session[SECOND_FACTOR_KEY] = True  # enrolled in another browser since
        return None
    if wants_json():
        response = jsonify(
            error="set up a second factor first", enrol=url_for("accounts.second_factor")
        )
        response.status_code = 403
        abort(response)
    return redirect(url_for("accounts.second_factor"), 303)
