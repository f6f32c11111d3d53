"""The reviewer's pages: the submitted assessments in their remit (/review) and the read-only view
of a submitted revision, shown as it was submitted, with the board's record beside it and the
review's forms (actions.py: take up, comment, reply, resolve, rate, request changes, decide,
withdraw, conditions met and verified; conditions.py: a condition added after the decision, the
file of a met condition). Blueprint `review`; templates in
templates/review/.
"""

from pia.web.review import actions as _actions  # noqa: F401 (registers the POST routes)
from pia.web.review import compare as _compare  # noqa: F401 (adds the comparison page to bp)
from pia.web.review import conditions as _conditions  # noqa: F401 (conditions after the decision)
from pia.web.review.views import bp

__all__ = ["bp"]
