"""Engines, sessions and migrations.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout, so several
app processes can share one file; PostgreSQL gets pre-ping so a restarted server costs one failed
check, not an error page. Migrations are Alembic's, configured in code (no alembic.ini).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from pia.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_url(instance_dir: Path | str) -> str:
    """The default database: pia.sqlite3 in the instance folder."""
    return f"sqlite:///{Path(instance_dir).resolve() / 'pia.sqlite3'}"


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use psycopg 3, the driver pia ships with."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An Engine for `url` with pia's connection settings. Extra options go to create_engine."""
    try:
        parsed = make_url(normalise_url(url))
    except SQLAlchemyError as error:
        raise StoreError(f"not a database URL: {url!r} ({error})") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if parsed.get_backend_name() == "postgresql":
        options.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **options)
    backend = parsed.get_backend_name()
    raise StoreError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Safe with WAL: a power cut may lose the last commits but never corrupts the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (operations commit; pages render after)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


class ReadOnlySessionError(StoreError):
    """Something tried to write through a session made for reading only."""


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlySessionError("this session only reads: nothing was written")


def _refuse_write_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReadOnlySessionError("this session only reads: nothing was written")


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read, each statement on its own (autocommit).

    A page that only reads needs no transaction: on PostgreSQL (READ COMMITTED) each statement
    sees a fresh snapshot anyway, and leaving out BEGIN and ROLLBACK saves two round trips per
    request. Writing through such a session raises ReadOnlySessionError, so a view that should
    not write cannot do so half-way.
    """
    factory = sessionmaker(
        bind=engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
    )
    event.listen(factory, "before_flush", _refuse_flush)
    event.listen(factory, "do_orm_execute", _refuse_write_statement)
    return factory


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def describe_error(error: SQLAlchemyError) -> str:
    """The driver's own first line (e.g. "connection refused"), without SQLAlchemy's wrapping."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else error.__class__.__name__


def alembic_config(connection: Any = None) -> Any:
    """Alembic's Config for pia's migrations, built in code. `connection` is used by env.py."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Apply the migrations up to `revision`; returns the database's revision afterwards.

    On SQLite, foreign keys are off while migrations run: a migration that rebuilds a table (the
    only way SQLite alters a column) drops the old one, and with foreign keys on that drop would
    cascade to every row referring to it. The references are checked before committing.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:  # only effective outside a transaction: before anything else
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            f"migration left {len(broken)} broken reference(s); nothing was changed"
                        )
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise StoreError(f"cannot migrate the database: {describe_error(error)}") from None
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at (None when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest migration revision shipped with pia."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
