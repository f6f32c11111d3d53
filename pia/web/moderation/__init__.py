"""The agency officers' moderation queue for public comments: approve, reject with a reason,
mark as a duplicate, and respond to approved comments singly or grouped by theme. Blueprint
`moderation` (signed in); templates in templates/moderation/. The public side (the comment form
and the published comments) is in pia.web.public; docs/public-comments.md describes both.
"""

from pia.web.moderation.views import bp

__all__ = ["bp"]
