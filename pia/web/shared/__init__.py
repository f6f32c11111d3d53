"""What every feature shares: the page layout and form macros (templates/base.html,
templates/macros/forms.html, templates/errors/error.html) and what templates can use
(templating.py), who is signed in and the one door to an assessment (access.py), CSRF, security
headers and the sign-in limit (security.py), error pages (errors.py), configuration and the loaded
bank (config.py), the per-request database session (db.py), form fields used by several features
(fields.py), and GET /healthz (health.py, on this package's blueprint `shared`). Feature packages
import from here; this package imports no feature.
"""

from pia.web.shared.health import bp

__all__ = ["bp"]
