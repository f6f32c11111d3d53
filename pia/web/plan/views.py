"""The action plan of an assessment: what would lower the risk, what-if, adopted items.

- GET /assessments/<id>/plan: the engine's action plan for the saved answers (pia.engine
  .action_plan), best first; `?item=...&item=...` shows those items adopted together
  (pia.engine.what_if); and the items the officer adopted, with owner, due date and status, and
  the board's conditions that point at each.
- POST /assessments/<id>/plan/adopt (item_id, owner, due): records an item as adopted.
- POST /assessments/<id>/plan/<plan_item_id>/done: ticks an adopted item off.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from pia.engine import PlanError, action_plan, what_if
from pia.store.models import Assessment
from pia.store.policy import Action, allowed
from pia.web.shared.access import assessment_or_abort, current_user
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session

bp = Blueprint("plan", __name__, template_folder="templates")
MAX_CHOSEN = 20


class AdoptForm(FlaskForm):
    item_id = HiddenField(validators=[InputRequired(), Length(max=200)])
    owner = StringField(
        "Owner",
        validators=[DataRequired("Name who will carry it out."), Length(max=200)],
        description="The person or unit who will carry it out.",
    )
    due = DateField(
        "Due date",
        validators=[DataRequired("Give the due date as YYYY-MM-DD.")],
        description="YYYY-MM-DD",
    )


class DoneForm(FlaskForm):
    """Only the CSRF token: ticking off needs no other field."""


def plan_page(
    assessment: Assessment, *, form: AdoptForm | None = None, status: int = 200
) -> tuple[str, int]:
    from pia.store import conditions_by_plan_item, plan_items_for

    bank = get_bank()
    answers, profiles = assessment.answers or {}, assessment.profiles or ()
    plan = action_plan(bank, answers, profiles)
    chosen = request.args.getlist("item")[:MAX_CHOSEN]
    combined, problem = None, ""
    if chosen:
        try:
            combined = what_if(bank, answers, profiles, chosen)
        except PlanError as error:
            problem = f"These items cannot be combined: {error}."
    user = current_user()
    adopted = plan_items_for(get_session(), assessment)
    page = render_template(
        "plan/plan.html",
        assessment=assessment,
        plan=plan,
        chosen=set(chosen),
        combined=combined,
        problem=problem,
        adopted=adopted,
        adopted_ids={item.item_id for item in adopted},
        conditions=conditions_by_plan_item(get_session(), assessment) if adopted else {},
        may_edit=user is not None and allowed(user, Action.EDIT, assessment),
        form=form or AdoptForm(formdata=None),
        failed_item=(form.item_id.data if form is not None else ""),
        done_form=DoneForm(formdata=None),
    )
    return page, (400 if problem else status)


@bp.get("/assessments/<int:assessment_id>/plan")
def show(assessment_id: int) -> Any:
    return plan_page(assessment_or_abort(assessment_id, Action.VIEW))


@bp.post("/assessments/<int:assessment_id>/plan/adopt")
def adopt(assessment_id: int) -> Any:
    from pia.store import InvalidInput, adopt_plan_item

    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    form = AdoptForm()
    if not form.validate_on_submit():
        return plan_page(assessment, form=form, status=400)
    bank = get_bank()
    plan = action_plan(bank, assessment.answers or {}, assessment.profiles or ())
    item = next((i for i in plan.items if i.id == form.item_id.data), None)
    if item is None:
        form.item_id.errors = ["That item is no longer in the plan for the saved answers."]
        return plan_page(assessment, form=form, status=400)
    user = current_user()
    assert user is not None
    try:
        adopt_plan_item(
            get_session(),
            assessment,
            user,
            item_id=item.id,
            text=item.text,
            owner=form.owner.data,
            due=form.due.data,
        )
    except InvalidInput as refused:
        field = getattr(form, refused.field, form.item_id)
        field.errors = [str(refused).capitalize() + "."]
        return plan_page(assessment, form=form, status=400)
    flash(f"Adopted “{item.text}”, owned by {form.owner.data.strip()}.", "success")
    return redirect(url_for("plan.show", assessment_id=assessment_id) + "#adopted", 303)


@bp.post("/assessments/<int:assessment_id>/plan/<int:plan_item_id>/done")
def done(assessment_id: int, plan_item_id: int) -> Any:
    from pia.store import NotFound, complete_plan_item

    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    if not DoneForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    user = current_user()
    assert user is not None
    try:
        item = complete_plan_item(get_session(), assessment, user, plan_item_id)
    except NotFound:
        abort(404)
    flash(f"Marked “{item.text}” done.", "success")
    return redirect(url_for("plan.show", assessment_id=assessment_id) + "#adopted", 303)
