"""The officer's start pages: the dashboard of their agency's assessments (/), a new assessment
(/assessments/new) and an assessment's overview (/assessments/<id>) with its sections, revisions
and evidence; reviewers and admins who open / are sent to their own start pages. Blueprint
`dashboard`; templates in templates/dashboard/.
"""

from pia.web.dashboard.views import bp

__all__ = ["bp"]
