"""Signing in and out.

Sign-in asks pia.store.authenticate (argon2id, with a dummy verification for unknown emails so the
time taken does not reveal accounts) and answers every failure with the same message. Failures are
rate-limited per email and client address (security.SigninLimiter). On success the session is
cleared before the user id goes in, so a session id planted before sign-in is worth nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.exceptions import TooManyRequests
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from pia.web.shared.access import USER_ID_KEY, current_user
from pia.web.shared.db import get_session
from pia.web.shared.security import SigninLimiter

bp = Blueprint("accounts", __name__, template_folder="templates")

SIGNIN_FAILED = "That email and password do not match an active account."


class SigninForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user: object) -> str:
    role = getattr(user, "role", None)
    if role == "reviewer":
        return url_for("review.index")
    if role == "admin":
        return url_for("admin.index")
    return url_for("dashboard.index")


def limiter() -> SigninLimiter:
    return current_app.extensions["pia.signin_limiter"]


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Response | str | tuple[str, int]:
    from pia.store import authenticate

    form = SigninForm()
    if request.method == "GET":
        if current_user() is not None:
            return redirect(safe_next(request.args.get("next")) or home_for(current_user()))
        form.next.data = safe_next(request.args.get("next")) or ""
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/signin.html", form=form, failed=None), status

    email = form.email.data.strip().lower()
    address = request.remote_addr or "unknown"
    db = get_session()
    wait = limiter().blocked(db, email, address)
    if wait:
        minutes = max(1, round(wait / 60))
        raise TooManyRequests(
            description=f"Too many failed sign-ins for this account from your address. "
            f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
            retry_after=int(wait) + 1,
        )
    user = authenticate(db, email, form.password.data)
    if user is None or not user.active:
        db.commit()  # keeps the failure's audit event, if the store wrote one
        limiter().record_failure(db, email, address)
        form.password.data = ""
        return render_template("accounts/signin.html", form=form, failed=SIGNIN_FAILED), 401
    db.commit()  # authenticate may have upgraded the stored hash
    limiter().reset(db, email, address)
    session.clear()
    session[USER_ID_KEY] = user.id
    session.permanent = True
    return redirect(safe_next(form.next.data) or home_for(user))


@bp.route("/signout", methods=["POST"])
def signout() -> Response:
    session.clear()
    return redirect(url_for("accounts.signin"))
