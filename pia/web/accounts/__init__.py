"""Accounts: signing in and out (GET/POST /signin, POST /signout), with the sign-in form, the
rate limit on failures and the safe `next` redirect; the place for password and second-factor
pages (account.py: change password, sign out everywhere, reset links; second_factor.py: the
code step, enrolment, recovery codes). Blueprint `accounts`; templates in templates/accounts/.
"""

from pia.web.accounts import (
    account,  # noqa: F401  (registers the account and reset pages)
    second_factor,  # noqa: F401  (registers the second-factor pages)
)
from pia.web.accounts.views import bp

__all__ = ["bp"]
