"""Conditions after the decision: a reviewer adds one, and anyone who may see the assessment
downloads the file attached when a condition was marked met.

- POST /assessments/<id>/review/conditions (new_condition-text, -owner, -due_on, -finding_rule,
  -plan_item): one
  more condition on the approval in force; the store checks the policy (ADD_CONDITION: reviewers,
  while the assessment is approved with conditions) and writes the audit event. Bad input
  re-shows the revision page (400) with what was typed; a wrong status is a 409 naming it.
- GET /assessments/<id>/conditions/<condition id>/file: the file as an attachment with its
  checked content type and nosniff, like evidence (DOWNLOAD_EVIDENCE on the assessment).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request

from pia.store.errors import NotFound
from pia.store.policy import Action
from pia.web.review.actions import _bad_form, _run, _user
from pia.web.review.forms import NEW_CONDITION, AddConditionForm
from pia.web.review.views import bp
from pia.web.shared.access import assessment_or_abort
from pia.web.shared.db import get_session
from pia.web.shared.downloads import attachment_response


@bp.post("/assessments/<int:assessment_id>/review/conditions")
def add_condition(assessment_id: int) -> Any:
    from pia.store import ConditionInput
    from pia.store import add_condition as add_verb

    assessment = assessment_or_abort(assessment_id, Action.ADD_CONDITION)
    form = AddConditionForm(request.form, prefix=NEW_CONDITION)
    forms = {"add_condition": form}
    if not form.validate():
        return _bad_form(assessment, form, forms)
    item = ConditionInput(
        text=form.text.data or "",
        owner=form.owner.data or "",
        due_on=form.due_on.data,
        finding_rule=form.finding_rule.data or "",
        plan_item_id=form.plan_item.data,
    )
    return _run(
        assessment,
        "add a condition",
        lambda: add_verb(get_session(), assessment, _user(), item),
        "The condition is added to the decision.",
        "decision",
        forms,
    )


@bp.get("/assessments/<int:assessment_id>/conditions/<int:condition_id>/file")
def condition_file(assessment_id: int, condition_id: int) -> Response:
    from pia.store import condition_file as file_of

    assessment = assessment_or_abort(assessment_id, Action.DOWNLOAD_EVIDENCE)
    try:
        found = file_of(get_session(), assessment, condition_id)
    except NotFound as missing:
        abort(404, description=str(missing))
    return attachment_response(
        found.met_data or b"", found.met_content_type, found.met_filename, found.met_sha256
    )
