"""The risk report in the web app: the report page and its PDF, JSON and CSV downloads, each
rendered from one Evaluation by pia.report and allowed to those who may see the assessment's
report. Blueprint `report`; templates in templates/report/.
"""

from pia.web.report.views import bp

__all__ = ["bp"]
