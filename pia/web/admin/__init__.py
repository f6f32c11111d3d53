"""Administration under /admin: agencies, user accounts (create, change role and remit,
deactivate) and an inspection page of the loaded question bank; every page requires
Action.ADMIN. Blueprint `admin`; templates in templates/admin/.
"""

from pia.web.admin import audit as _audit  # noqa: F401 (adds the audit trail page to bp)
from pia.web.admin.views import bp

__all__ = ["bp"]
