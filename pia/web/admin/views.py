"""Administration: agencies, user accounts (create, change role and remit, deactivate) and an
inspection page of the loaded question bank. Every page requires Action.ADMIN."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from pia.web.shared.access import require
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.shared.fields import CheckboxesField

if TYPE_CHECKING:
    from pia.store.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

ROLE_CHOICES = [
    SelectChoice("officer", "Procurement officer (belongs to one agency)"),
    SelectChoice(
        "reviewer", "Oversight reviewer (reads submissions of the agencies in their remit)"
    ),
    SelectChoice("admin", "Administrator (agencies, accounts, question bank)"),
]
NO_AGENCY = ""
USERS_PER_PAGE = 50


def _agency_id(value: object) -> int | None:
    if value in (None, NO_AGENCY):
        return None
    return int(str(value))


def _time_zone_name(form: FlaskForm, field: Field) -> None:
    from pia.report.times import is_time_zone

    field.data = (field.data or "").strip()
    if not is_time_zone(field.data):
        raise ValidationError(
            "Enter a time zone name such as Europe/Berlin, America/Chicago or UTC."
        )


TIME_ZONE_HELP = (
    "The IANA name of the zone its people work in, e.g. Europe/Berlin or America/Chicago: "
    "pages and reports show times there."
)


class AgencyForm(FlaskForm):
    name = StringField(
        "Agency name",
        validators=[DataRequired("Enter the agency's name."), Length(max=200)],
        description="As the agency names itself, e.g. 'Riverside County Sheriff's Office'.",
    )
    time_zone = StringField(
        "Time zone", default="UTC", validators=[_time_zone_name], description=TIME_ZONE_HELP
    )


ZONE_PREFIX = "tz"  # the page has two forms: their fields' ids must differ


class AgencyTimeZoneForm(FlaskForm):
    agency = SelectField("Agency", coerce=int, description="The agency whose zone changes.")
    zone = StringField("Time zone", validators=[_time_zone_name], description=TIME_ZONE_HELP)


class UserFields(FlaskForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    role = RadioField("Role", choices=ROLE_CHOICES, default="officer")
    agency = SelectField(
        "Agency",
        coerce=_agency_id,
        description="Officers only: the agency whose assessments they write.",
        validate_choice=True,
    )
    remit = CheckboxesField(
        "Remit",
        coerce=int,
        description="Reviewers only: the agencies whose submitted assessments they may read.",
    )

    def set_agencies(self, agencies: list[object]) -> None:
        self.agency.choices = [SelectChoice(NO_AGENCY, "No agency")] + [
            SelectChoice(a.id, a.name) for a in agencies
        ]
        self.remit.choices = [SelectChoice(a.id, a.name) for a in agencies]


class NewUserForm(UserFields):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter the email address."), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    password = PasswordField(
        "Initial password",
        validators=[DataRequired("Enter an initial password."), Length(max=1024)],
        description="At least 10 characters. Give it to the person by a separate channel.",
        render_kw={"autocomplete": "new-password"},
    )


class EditUserForm(UserFields):
    active = BooleanField("Account active", description="Inactive accounts cannot sign in.")


def _field_for(form: FlaskForm, name: str) -> Field | None:
    return form._fields.get(name) if name else None


def show_store_error(form: FlaskForm, error: Exception) -> None:
    """Puts a store InvalidInput beside its field (or on the form when it names none)."""
    field = _field_for(form, getattr(error, "field", ""))
    message = str(error)
    message = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


@bp.route("/")
def index() -> Response:
    from pia.store.policy import Action

    require(Action.ADMIN)
    return redirect(url_for("admin.users"))


@bp.route("/agencies", methods=["GET", "POST"])
def agencies() -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput, create_agency, set_agency_time_zone
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    db = get_session()
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agency = create_agency(db, form.name.data, actor=actor)
            if form.time_zone.data != agency.time_zone:
                set_agency_time_zone(db, agency, form.time_zone.data, actor=actor)
        except InvalidInput as error:
            db.rollback()
            show_store_error(form, error)
        else:
            db.commit()
            flash(f"Agency “{agency.name}” created.", "success")
            return redirect(url_for("admin.agencies"))
    status = 400 if request.method == "POST" else 200
    return _agencies_page(form, AgencyTimeZoneForm(formdata=None, prefix=ZONE_PREFIX), status)


@bp.post("/agencies/time-zone")
def agency_time_zone() -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput, get_agency, list_agencies, set_agency_time_zone
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    db = get_session()
    form = AgencyTimeZoneForm(prefix=ZONE_PREFIX)
    form.agency.choices = [SelectChoice(a.id, a.name) for a in list_agencies(db)]
    if form.validate_on_submit():
        agency = get_agency(db, form.agency.data)
        if agency is None:
            abort(404)
        try:
            set_agency_time_zone(db, agency, form.zone.data, actor=actor)
        except InvalidInput as error:
            db.rollback()
            show_store_error(form, error)
        else:
            db.commit()
            flash(f"“{agency.name}” now shows times in {agency.time_zone}.", "success")
            return redirect(url_for("admin.agencies"))
    return _agencies_page(AgencyForm(formdata=None), form, 400)


def _agencies_page(form: AgencyForm, zone_form: AgencyTimeZoneForm, status: int) -> tuple[str, int]:
    from pia.store import list_agencies

    agencies = list_agencies(get_session())
    zone_form.agency.choices = [SelectChoice(a.id, a.name) for a in agencies]
    page = render_template("admin/agencies.html", form=form, zone_form=zone_form, agencies=agencies)
    return page, status


@bp.route("/users", methods=["GET", "POST"])
def users() -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput, create_user, list_agencies, page_of_users
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    db = get_session()
    all_agencies = list_agencies(db)
    by_id = {a.id: a for a in all_agencies}
    form = NewUserForm()
    form.set_agencies(all_agencies)
    if form.validate_on_submit():
        try:
            user = create_user(
                db,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
                agency=by_id.get(form.agency.data) if form.role.data == "officer" else None,
                remit=[by_id[i] for i in form.remit.data or []]
                if form.role.data == "reviewer"
                else (),
                actor=actor,
            )
        except InvalidInput as error:
            db.rollback()
            show_store_error(form, error)
        else:
            db.commit()
            flash(f"Account for {user.email} created.", "success")
            return redirect(url_for("admin.users"))
    form.password.data = ""
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "admin/users.html",
            form=form,
            # junk or missing page numbers mean the first page
            page=page_of_users(db, page=request.args.get("page"), per_page=USERS_PER_PAGE),
            me=actor,
        ),
        status,
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> Response | str | tuple[str, int]:
    from pia.store import InvalidInput, NotAllowed, get_user, list_agencies, update_user
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    db = get_session()
    user = get_user(db, user_id)
    if user is None:
        abort(404)
    all_agencies = list_agencies(db)
    by_id = {a.id: a for a in all_agencies}
    form = EditUserForm(
        data={
            "name": user.name,
            "role": user.role,
            "agency": user.agency_id,
            "remit": sorted(user.remit_ids),
            "active": user.active,
        }
        if request.method == "GET"
        else None
    )
    form.set_agencies(all_agencies)
    if form.validate_on_submit():
        role = form.role.data
        try:
            update_user(
                db,
                user,
                actor,
                name=form.name.data,
                role=role,
                agency=by_id.get(form.agency.data) if role == "officer" else None,
                remit=[by_id[i] for i in form.remit.data or []] if role == "reviewer" else [],
                active=bool(form.active.data),
            )
        except (InvalidInput, NotAllowed) as error:
            db.rollback()
            show_store_error(form, error)
        else:
            db.commit()
            flash(f"Account {user.email} updated.", "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user.html", form=form, user=user, **_factor_of(user)), status


def _admin_and_user(user_id: int) -> tuple[User, User]:
    """The signed-in administrator and the account `user_id` (404 when there is none)."""
    from pia.store import get_user
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    user = get_user(get_session(), user_id)
    if user is None:
        abort(404)
    return actor, user


def _factor_of(user: User) -> dict[str, bool]:
    from pia.store.second_factor import has_second_factor

    return {"has_second_factor": has_second_factor(get_session(), user)}


@bp.post("/users/<int:user_id>/second-factor/reset")
def reset_second_factor(user_id: int) -> Response:
    """Removes the user's second factor (a lost phone): audited; their sessions end."""
    from pia.store.second_factor import reset_second_factor as reset_factor

    actor, user = _admin_and_user(user_id)
    db = get_session()
    if reset_factor(db, user, actor):
        flash(
            f"The second factor of {user.email} was removed and their sessions ended. They can "
            "set up a new one from their account page (or must, at sign-in, if their role "
            "requires one).",
            "success",
        )
    else:
        flash(f"{user.email} has no second factor: nothing to reset.", "success")
    return redirect(url_for("admin.edit_user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate_user(user_id: int) -> Response:
    from pia.store import NotAllowed, get_user, update_user
    from pia.store.policy import Action

    actor = require(Action.ADMIN)
    db = get_session()
    user = get_user(db, user_id)
    if user is None:
        abort(404)
    # An empty form still carries the CSRF token, which CSRFProtect has checked by now.
    try:
        update_user(db, user, actor, active=False)
    except NotAllowed as error:
        db.rollback()
        flash(str(error)[:1].upper() + str(error)[1:] + ".", "error")
    else:
        db.commit()
        flash(f"Account {user.email} deactivated: it can no longer sign in.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int) -> str:
    """Issues a single-use, expiring link for the user to set a new password (shown once)."""
    from pia.store.models import utcnow
    from pia.store.passwords import RESET_LIFETIME, issue_reset

    actor, user = _admin_and_user(user_id)
    token = issue_reset(get_session(), user, actor)
    link = url_for("accounts.reset", token=token, _external=True)
    expires = utcnow() + RESET_LIFETIME
    return render_template("admin/reset_link.html", user=user, link=link, expires=expires)


@bp.route("/bank")
def bank() -> str:
    from pia.store.policy import Action

    require(Action.ADMIN)
    loaded = get_bank()
    per_section = Counter(q.section for q in loaded.questions.values())
    required = Counter(q.section for q in loaded.questions.values() if q.required)
    rules_per_criterion = Counter(r.criterion for r in loaded.rules.values())
    return render_template(
        "admin/bank.html",
        loaded=loaded,
        per_section=per_section,
        required=required,
        rules_per_criterion=rules_per_criterion,
    )
