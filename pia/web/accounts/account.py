"""The signed-in person's own account (GET/POST /account: change password; POST
/account/signout-everywhere) and the reset link an administrator issues (GET/POST
/reset/<token>). A password change ends every other session of the account; this one carries on.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from pia.web.accounts.views import bp
from pia.web.shared.access import SESSION_VERSION_KEY, current_user, signin_redirect
from pia.web.shared.db import get_session

PASSWORD_HINT = "At least 10 characters. A few unrelated words make a strong one."  # noqa: S105


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password."), Length(max=1024)],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            DataRequired("Enter the new password again."),
            EqualTo("password", "The two new passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


def _show_error(form: FlaskForm, error: Exception) -> None:
    field = getattr(error, "field", None) or "password"
    message = str(error)[:1].upper() + str(error)[1:] + "."
    target = form[field] if field in form else form["password"]
    target.errors = [*target.errors, message]


@bp.route("/account", methods=["GET", "POST"])
def account() -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput
    from pia.store.passwords import change_own_password

    user = current_user()
    if user is None:
        signin_redirect()
    assert user is not None
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            change_own_password(db, user, form.current_password.data, form.password.data)
        except InvalidInput as error:
            db.rollback()
            _show_error(form, error)
        else:
            # Every other session ended with the change; this one continues at the new version.
            session[SESSION_VERSION_KEY] = user.session_version
            flash("Your password was changed. You were signed out everywhere else.", "success")
            return redirect(url_for("accounts.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/account.html", form=form, user=user), status


@bp.post("/account/signout-everywhere")
def signout_everywhere() -> Response:
    from pia.store.sessions import end_all_sessions

    user = current_user()
    if user is not None:
        end_all_sessions(get_session(), user, actor=user, reason="signed out everywhere")
    session.clear()
    return redirect(url_for("accounts.signin"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput
    from pia.store.passwords import reset_user, use_reset

    db = get_session()
    if reset_user(db, token) is None:
        page = render_template("accounts/reset.html", form=None, token=token)
        return page, 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            use_reset(db, token, form.password.data)
        except InvalidInput as error:
            db.rollback()
            if getattr(error, "field", None) == "token":
                return render_template("accounts/reset.html", form=None, token=token), 404
            _show_error(form, error)
        else:
            session.clear()
            flash("Your password was set. Sign in with it now.", "success")
            return redirect(url_for("accounts.signin"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/reset.html", form=form, token=token), status
