"""The reviewer's pages: the submitted assessments in their remit (/review) and the read-only view
of a submitted revision, shown as it was submitted. Blueprint `review`; templates in
templates/review/.
"""

from pia.web.review import compare as _compare  # noqa: F401 (adds the comparison page to bp)
from pia.web.review.views import bp

__all__ = ["bp"]
