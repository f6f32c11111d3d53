"""The public site, no sign-in (/public): published assessments by agency and status, each
publication's public report (page, PDF, JSON) and use-policy answers, an Atom feed and an
open-data index. Blueprint `public`; templates in templates/public/. Other public features (the
comment form) add their routes to the same blueprint and their part of the publication page
through views.PAGE_CONTEXT and templates/public/_comments.html; what the page shows of the
database is read for its ETag in one statement (pia.store.public_listing.publication_head).

Public comments (comments.py, on this blueprint): the comment form on its own page, never cached
(it carries the visitor's CSRF token), and the approved comments with the agency's responses on
the publication page. The officers' moderation queue is the feature pia.web.moderation.

A publication's files (files.py, on this blueprint): the PDF, the JSON and the evidence files,
served without what was withdrawn after publication (pia.store.withdrawal).
"""

from pia.web.public import comments as _comments  # noqa: F401  (its routes join `bp`)
from pia.web.public import files as _files  # noqa: F401  (its routes join `bp`)
from pia.web.public import meetings as _meetings  # noqa: F401  (its part of the page)
from pia.web.public.views import bp

__all__ = ["bp"]
