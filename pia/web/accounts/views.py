"""Signing in and out.

Sign-in asks pia.store.authenticate (argon2id, with a dummy verification for unknown emails so the
time taken does not reveal accounts) and answers every failure with the same message. Failures are
rate-limited per email and client address, and per email across addresses for browsers that have
not signed in to it before (security.SigninLimiter, accounts.device). On success the session is
cleared before the user id goes in, so a session id planted before sign-in is worth nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
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

from pia.web.accounts.device import known_device, remember_device
from pia.web.shared.access import (
    SECOND_FACTOR_KEY,
    SESSION_VERSION_KEY,
    USER_ID_KEY,
    current_user,
)
from pia.web.shared.db import get_session
from pia.web.shared.security import SigninLimiter

if TYPE_CHECKING:
    from pia.store.models import User

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


def refuse_when_limited(wait: float) -> None:
    """429 with the time to wait, when the sign-in limit says to wait."""
    if wait:
        minutes = max(1, round(wait / 60))
        raise TooManyRequests(
            description=f"Too many failed sign-ins for this account. "
            f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
            retry_after=int(wait) + 1,
        )


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Response | str | tuple[str, int]:
    from pia.store import authenticate
    from pia.store.second_factor import has_second_factor
    from pia.web.accounts.second_factor import begin_code_step

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
    known = known_device(email)
    wait = limiter().take(db, email, address, known_device=known)
    refuse_when_limited(wait)
    user = authenticate(db, email, form.password.data)
    if user is None or not user.active:
        db.commit()  # keeps the failure's audit event, if the store wrote one
        form.password.data = ""
        return render_template("accounts/signin.html", form=form, failed=SIGNIN_FAILED), 401
    db.commit()  # authenticate may have upgraded the stored hash
    if has_second_factor(db, user):
        # Not signed in yet: the code comes next, and its attempts count against the same limit
        # (this attempt keeps its place until the code is right).
        begin_code_step(user, safe_next(form.next.data))
        return redirect(url_for("accounts.signin_code"), 303)
    limiter().succeeded(db, email, address, known_device=known)
    return complete_signin(user, safe_next(form.next.data), second_factor=False)


def complete_signin(user: User, next_url: str | None, *, second_factor: bool) -> Response:
    """Opens the session: cleared first, so a session id planted before sign-in is worth
    nothing; `second_factor` records that a code was given (pia.web.accounts.second_factor)."""
    session.clear()
    session[USER_ID_KEY] = user.id
    session[SESSION_VERSION_KEY] = user.session_version
    if second_factor:
        session[SECOND_FACTOR_KEY] = True
    session.permanent = True
    response = redirect(next_url or home_for(user))
    remember_device(response, user.email)
    return response


@bp.route("/signout", methods=["POST"])
def signout() -> Response:
    """Signing out ends every session of the account, so a copied cookie dies with this one."""
    from pia.store.sessions import end_all_sessions

    user = current_user()
    if user is not None:
        end_all_sessions(get_session(), user, actor=user, reason="signed out")
    session.clear()
    return redirect(url_for("accounts.signin"))
