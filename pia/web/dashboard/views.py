"""The officer's pages: the dashboard (their agency's assessments), a new assessment, an overview.

Reviewers and admins who open "/" are sent to their own start pages.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from pia.web.shared.access import (
    assessment_with_evidence_or_abort,
    current_user,
    require,
    signin_redirect,
)
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.shared.fields import CheckboxesField
from pia.web.shared.list_filters import AssessmentFilterForm

bp = Blueprint("dashboard", __name__, template_folder="templates")

SHORT_TEXT = 200


def _text(label: str, message: str, description: str, *, required: bool = True) -> StringField:
    validators = [Length(max=SHORT_TEXT, message=f"Keep this under {SHORT_TEXT} characters.")]
    if required:
        validators.insert(0, DataRequired(message))
    return StringField(label, validators=validators, description=description)


class NewAssessmentForm(FlaskForm):
    title = _text(
        "Title",
        "Enter a title for the assessment.",
        "A name your colleagues will recognise, e.g. the project or procurement it belongs to.",
    )
    technology = _text(
        "Technology",
        "Enter the technology being assessed.",
        "The kind of biometric system, e.g. face recognition, iris or voice recognition.",
    )
    vendor = _text("Vendor", "Enter the vendor's name.", "The company offering the system.")
    product = _text("Product", "Enter the product's name.", "The product as the vendor names it.")
    product_version = _text(
        "Product version",
        "Enter the product version.",
        "The version or release assessed; write 'unknown' if the vendor has not said.",
    )
    profiles = CheckboxesField(
        "Jurisdiction profiles",
        description="The laws this deployment must meet. Their statutory elements and "
        "prohibitions are checked against your answers. You can choose several.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.profiles.choices = [SelectChoice(p.id, p.name) for p in get_bank().profiles.values()]


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.route("/")
def index() -> Response | tuple[str, int]:
    from pia.store import list_assessments
    from pia.store.policy import Action

    user = current_user()
    if user is None:
        signin_redirect()
    if user.role == "reviewer":
        return redirect(url_for("review.index"))
    if user.role == "admin":
        return redirect(url_for("admin.index"))
    # The dashboard is the officer's workspace for their agency: the right to create there.
    require(Action.CREATE_ASSESSMENT)
    filters = AssessmentFilterForm(request.args)
    valid = filters.validate()
    page = list_assessments(
        get_session(),
        user,
        page=page_number(),
        per_page=per_page(),
        filters=filters.to_filter(),
    )
    status = 200 if valid else 400
    return render_template("dashboard/index.html", page=page, filters=filters), status


def per_page() -> int:
    return int(current_app.config["PIA_PAGE_SIZE"])


@bp.route("/assessments/new", methods=["GET", "POST"])
def new_assessment() -> Response | str | tuple[str, int]:
    from pia.store import create_assessment
    from pia.store.policy import Action

    user = require(Action.CREATE_ASSESSMENT)
    form = NewAssessmentForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("dashboard/new.html", form=form), status
    db = get_session()
    assessment = create_assessment(
        db,
        get_bank(),
        user,
        title=form.title.data.strip(),
        technology=form.technology.data.strip(),
        vendor=form.vendor.data.strip(),
        product=form.product.data.strip(),
        product_version=form.product_version.data.strip(),
        profiles=list(form.profiles.data or []),
    )
    db.commit()
    flash("Assessment created. Start with the first section.", "success")
    return redirect(url_for("dashboard.overview", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>")
def overview(assessment_id: int) -> Response | str:
    from pia.store import evaluate_assessment, revisions_for
    from pia.store.policy import Action, Decision, decide

    assessment, evidence = assessment_with_evidence_or_abort(assessment_id, Action.VIEW)
    user = current_user()
    if user is not None and user.role == "reviewer":
        # Reviewers read submissions, never the officer's draft in progress.
        return redirect(
            url_for(
                "review.revision", assessment_id=assessment_id, number=assessment.revision_count
            )
        )
    bank = get_bank()
    evaluation = evaluate_assessment(bank, assessment)
    return render_template(
        "dashboard/overview.html",
        assessment=assessment,
        evaluation=evaluation,
        profiles=[bank.profiles[p] for p in assessment.profiles or () if p in bank.profiles],
        evidence=evidence,
        revisions=revisions_for(get_session(), assessment),
        can_edit=decide(user, Action.EDIT, assessment) == Decision.ALLOW,
        can_report=decide(user, Action.VIEW_REPORT, assessment) == Decision.ALLOW,
        can_archive=decide(user, Action.ARCHIVE, assessment) == Decision.ALLOW,
        can_unarchive=decide(user, Action.UNARCHIVE, assessment) == Decision.ALLOW,
    )
