"""The web application: `create_app()` builds it (no app object exists at import time).

    flask --app pia.web run            # development
    pia serve                          # gunicorn, see pia/cli/serve.py

One package per feature, each a blueprint with its views, forms and templates
(templates/<feature>/...): accounts, dashboard, wizard, report, review, admin, plan, meetings,
calendar; BLUEPRINTS names
them ("module:attribute"), so adding a feature is one line. pia.web.shared holds what they share:
config.get_bank() (the bank loaded at start), db.get_session() (this request's SQLAlchemy
session), access.current_user(), access.assessment_or_abort(id, Action.X) and
access.require(Action.X) (the policy, as HTTP). Templates extend base.html (skip link, header, nav
by role, <main id="main">, the CSRF meta tag) and get `current_user`, `bank`, the filters `when`
and `level_class`, and `section_url`, `has_endpoint` (shared/templating.py); form macros are in
shared/templates/macros/forms.html. Static files are in static/.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

ROW_ID_MAX = 2**31 - 1


def _at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..limit (no sign, leading zeros allowed)."""
    digits = str(limit)
    options = [rf"\d{{1,{len(digits) - 1}}}"]
    for index, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - index - 1
            options.append(digits[:index] + f"[0-{int(digit) - 1}]" + rf"\d{{{rest}}}")
    options.append(digits)
    return "0*(?:" + "|".join(options) + ")"


class RowIdConverter(IntegerConverter):
    """<int:...> in every route: a whole number from 0 to ROW_ID_MAX; anything else is a 404.

    The bound is in the pattern, not only in the conversion: Werkzeug answers 405 when a URL
    matches a rule for another method and fails conversion for this one.
    """

    regex = _at_most(ROW_ID_MAX)

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(map, *args, **kwargs)


BLUEPRINTS = (
    "pia.web.shared:bp",
    "pia.web.accounts:bp",
    "pia.web.dashboard:bp",
    "pia.web.review:bp",
    "pia.web.admin:bp",
    "pia.web.wizard:bp",
    "pia.web.report:bp",
    "pia.web.plan:bp",
    "pia.web.publishing:bp",
    "pia.web.public:bp",
    "pia.web.moderation:bp",
    "pia.web.meetings:bp",
    "pia.web.calendar:bp",
)


def _load_blueprint(spec: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Builds the app: configuration, bank (refuses an invalid one), database, security, views.

    Raises pia.engine.BankError (listing every problem) when the bank does not check.
    """
    from pia.engine import load_bank
    from pia.store import config as store_config
    from pia.web.shared import config, db, errors, input_guard, security, templating

    instance = Path((test_config or {}).get("INSTANCE_PATH") or store_config.instance_dir())
    # No app-wide template folder: each feature's blueprint brings its own, and shared/ the layout.
    app = Flask(
        __name__,
        template_folder=None,
        instance_path=str(instance.resolve()),
        instance_relative_config=True,
    )
    config.configure(app, test_config)

    bank = app.config.get("PIA_BANK_OBJECT") or load_bank(Path(app.config["PIA_BANK"]))
    app.extensions[config.BANK_KEY] = bank
    config.check_signing_key(app)

    # Ids in URLs are 32-bit database integers: a larger one is no row (404), never an overflow
    # error from PostgreSQL. Set before the blueprints so every <int:...> route uses it.
    app.url_map.converters["int"] = RowIdConverter
    db.init_app(app)
    input_guard.init_app(app)  # before security: its checks run before the CSRF check
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    for spec in BLUEPRINTS:
        app.register_blueprint(_load_blueprint(spec))
    return app
