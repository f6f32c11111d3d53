"""The officer's start pages: the dashboard of their agency's assessments (/), a new assessment
(/assessments/new) and an assessment's overview (/assessments/<id>) with its sections, revisions
and evidence; a draft's details (/assessments/<id>/details) and a duplicate as a new draft;
reviewers and admins who open / are sent to their own start pages. Blueprint
`dashboard`; templates in templates/dashboard/.
"""

from pia.web.dashboard import details as _details  # noqa: F401  (adds its routes to bp)
from pia.web.dashboard.views import bp

__all__ = ["bp"]
