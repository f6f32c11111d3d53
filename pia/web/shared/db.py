"""The database for the web app: one engine per app, one session per request.

Views call `get_session()`; the session is created on first use and closed when the request ends.
Anything a view did not commit is rolled back then, so a failed request never leaves half a change.
GET and HEAD requests are safe by HTTP's definition, so they get a read-only session without a
transaction (pia.store.db.make_read_session_factory): no BEGIN and ROLLBACK round trips, and a
view that tried to write on a GET would fail loudly instead of changing data.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

ENGINE_KEY = "pia.engine"
SESSION_FACTORY_KEY = "pia.session_factory"
READ_SESSION_FACTORY_KEY = "pia.read_session_factory"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def init_app(app: Flask) -> None:
    from pia.store import db as store_db

    engine = store_db.make_engine(app.config["PIA_DATABASE_URL"])
    app.extensions[ENGINE_KEY] = engine
    app.extensions[SESSION_FACTORY_KEY] = store_db.make_session_factory(engine)
    app.extensions[READ_SESSION_FACTORY_KEY] = store_db.make_read_session_factory(engine)
    app.teardown_appcontext(close_session)


def get_engine() -> Engine:
    return current_app.extensions[ENGINE_KEY]


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    """The app's session factory, for work outside a request (CLI, tests, benchmarks)."""
    return (app or current_app).extensions[SESSION_FACTORY_KEY]


def get_session() -> Session:
    """This request's session: read-only for GET and HEAD requests, read-write otherwise."""
    if "db_session" not in g:
        if has_request_context() and request.method in SAFE_METHODS:
            g.db_session = current_app.extensions[READ_SESSION_FACTORY_KEY]()
        else:
            g.db_session = session_factory()()
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
