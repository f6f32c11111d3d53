"""The database for the web app: one engine per app, one session per request.

Views call `get_session()`; the session is created on first use and closed when the request ends.
Anything a view did not commit is rolled back then, so a failed request never leaves half a change.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

ENGINE_KEY = "pia.engine"
SESSION_FACTORY_KEY = "pia.session_factory"


def init_app(app: Flask) -> None:
    from pia.store import db as store_db

    engine = store_db.make_engine(app.config["PIA_DATABASE_URL"])
    app.extensions[ENGINE_KEY] = engine
    app.extensions[SESSION_FACTORY_KEY] = store_db.make_session_factory(engine)
    app.teardown_appcontext(close_session)


def get_engine() -> Engine:
    return current_app.extensions[ENGINE_KEY]


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    """The app's session factory, for work outside a request (CLI, tests, benchmarks)."""
    return (app or current_app).extensions[SESSION_FACTORY_KEY]


def get_session() -> Session:
    """This request's session."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
