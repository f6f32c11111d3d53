"""Accounts: signing in and out (GET/POST /signin, POST /signout), with the sign-in form, the
rate limit on failures and the safe `next` redirect; the place for password and second-factor
pages. Blueprint `accounts`; templates in templates/accounts/.
"""

from pia.web.accounts.views import bp

__all__ = ["bp"]
