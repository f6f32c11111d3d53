"""Community meetings: the list of an assessment's meetings with the count against the chosen
profiles' requirement (/assessments/<id>/meetings), recording, changing and removing one, and its
materials file (/meetings/<id>/materials). Blueprint `meetings`; templates in templates/meetings/
(_tally.html is included on the check-your-answers page too).
"""

from pia.web.meetings.views import bp

__all__ = ["bp"]
