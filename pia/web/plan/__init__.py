"""An assessment's action plan in the web app: what would lower the risk (pia.engine
.action_plan), the combined effect of chosen items (what_if), and the items the officer adopted with
an owner and a due date, ticked off when done. Blueprint `plan`; templates in templates/plan/.
"""

from pia.web.plan.views import bp

__all__ = ["bp"]
