"""The compliance calendar: the dates of the assessments a user may see (/calendar), the panel of
upcoming and overdue dates on the officer's and reviewer's dashboards (the template include
calendar/_panel.html, which calls the `calendar_panel()` template global), and each agency's
iCalendar feed at a secret address for calendar apps (/calendar/feeds/<token>.ics). Blueprint
`calendar`; templates in templates/calendar/.
"""

from pia.web.calendar.views import bp

__all__ = ["bp"]
