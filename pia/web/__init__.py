"""The web application: `create_app()` builds it (no app object exists at import time).

    flask --app pia.web run            # development
    pia serve                          # gunicorn, see pia/cli/serve.py

Each feature is a blueprint named in BLUEPRINTS ("module:attribute"); add a line to add a feature.
Shared pieces for views: pia.web.config.get_bank() (the bank loaded at start),
pia.web.db.get_session() (this request's SQLAlchemy session), pia.web.access.current_user(),
access.assessment_or_abort(id, Action.X) and access.require(Action.X) (the policy, as HTTP).
Templates extend base.html (skip link, header, nav by role, <main id="main">, the CSRF meta tag)
and get `current_user`, `bank`, the filters `when` and `level_class`, and `section_url`,
`has_endpoint` (pia/web/templating.py); form macros are in templates/macros/forms.html.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

BLUEPRINTS = (
    "pia.web.health:bp",
    "pia.web.auth:bp",
    "pia.web.dashboard:bp",
    "pia.web.reviewer:bp",
    "pia.web.admin:bp",
    "pia.web.wizard:bp",
    "pia.web.submission:bp",
    "pia.web.evidence:bp",
    "pia.web.report_views:bp",
    "pia.web.plan_views:bp",
)


def _load_blueprint(spec: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Builds the app: configuration, bank (refuses an invalid one), database, security, views.

    Raises pia.engine.problems.BankError (listing every problem) when the bank does not check.
    """
    from pia.engine import load_bank
    from pia.store import config as store_config
    from pia.web import config, db, errors, security, templating

    instance = Path((test_config or {}).get("INSTANCE_PATH") or store_config.instance_dir())
    app = Flask(__name__, instance_path=str(instance.resolve()), instance_relative_config=True)
    config.configure(app, test_config)

    bank = app.config.get("PIA_BANK_OBJECT") or load_bank(Path(app.config["PIA_BANK"]))
    app.extensions[config.BANK_KEY] = bank

    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    for spec in BLUEPRINTS:
        app.register_blueprint(_load_blueprint(spec))
    return app
