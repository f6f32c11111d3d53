"""The agency officers' moderation queue for public comments: approve, reject with a reason,
mark as a duplicate, respond to approved comments singly or grouped by theme; reconsider a
decision and correct a response (corrections.py). Blueprint
`moderation` (signed in); templates in templates/moderation/. The public side (the comment form
and the published comments) is in pia.web.public; docs/public-comments.md describes both.
"""

from pia.web.moderation import corrections as _corrections  # noqa: F401 (registers its views)
from pia.web.moderation.views import bp

__all__ = ["bp"]
