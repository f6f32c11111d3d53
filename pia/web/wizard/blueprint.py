"""The wizard's blueprint, the template filters its pages use, and what it builds once per bank.

The section pages (section.py), evidence (evidence.py) and submission (submission.py) add their
routes to this one blueprint, so every wizard endpoint is named `wizard.<view>`.
"""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from pia.engine.bank.model import Citation
from pia.web.wizard.fields import format_number
from pia.web.wizard.forms import SectionForms
from pia.web.wizard.saving import FORMS_KEY

bp = Blueprint("wizard", __name__, template_folder="templates")


@bp.app_template_filter("number")
def number_filter(value: float | int) -> str:
    """12 not 12.0, for bounds shown beside a field."""
    return format_number(value)


@bp.app_template_filter("filesize")
def filesize_filter(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


@bp.app_template_test("cited_elsewhere")
def cited_elsewhere(citation: Citation, foreign: tuple[str, ...]) -> bool:
    """A source of a jurisdiction the assessment did not choose (a prefix in `foreign`): left out
    under a question as the findings leave it out (pia.engine.foreign_sources)."""
    return citation.source.startswith(tuple(foreign))


@bp.record_once
def build_forms(state: BlueprintSetupState) -> None:
    """Builds every section's form class and question layout when the app starts, not on the
    first request."""
    from pia.web.shared.config import BANK_KEY

    state.app.extensions[FORMS_KEY] = SectionForms(state.app.extensions[BANK_KEY])
