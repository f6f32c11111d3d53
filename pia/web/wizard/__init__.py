"""The section wizard: an assessment's section pages and everything an officer does on them. It
owns the one form factory that builds a section's WTForms form from the bank (forms.py, with the
fields of fields.py), how each question is laid out and shown (layout.py, display.py, and the
`question` macro in templates/wizard/_question.html), saving with autosave and the 409 conflict
page (saving.py, section.py), evidence upload and download (evidence.py), and the completeness
page and submission (submission.py). All of its routes are on one blueprint, `wizard`
(blueprint.py); templates in templates/wizard/.
"""

# The view modules add their routes to the blueprint when imported.
from pia.web.wizard import evidence, section, submission
from pia.web.wizard.blueprint import bp

__all__ = ["bp", "evidence", "section", "submission"]
