"""Shared database fixtures, over both backends.

- `db_url`: an empty database. Parametrized: "sqlite" (a real file in tmp_path) and "postgresql"
  (127.0.0.1:5432, database `test`, user postgres; a fresh schema per test, chosen through the URL's
  search_path, so tests are independent and several test runs can share the server). When
  PostgreSQL is unreachable its tests are skipped, except under CI=true, where that fails.
- `engine`: an Engine on `db_url` after the migrations ran.
- `session`: a Session on `engine`.

Override the PostgreSQL server with PIA_TEST_POSTGRES (a libpq conninfo string). Password hashes
use the cheap argon2id profile (PIA_ARGON2_PROFILE=test): a default-cost hash takes about a second
here, and the tests hash hundreds of passwords. One test checks the default profile itself.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pia.store.db import make_engine, make_session_factory, upgrade

os.environ.setdefault("PIA_ARGON2_PROFILE", "test")

POSTGRES_CONNINFO = os.environ.get(
    "PIA_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)
_postgres_problem: list[str] = []  # filled once: "" when reachable, else why not


def _postgres_unavailable() -> str:
    """ "" when the test PostgreSQL answers, else the reason (checked once per test session)."""
    if not _postgres_problem:
        try:
            with psycopg.connect(POSTGRES_CONNINFO, connect_timeout=3) as connection:
                connection.execute("SELECT 1")
            _postgres_problem.append("")
        except psycopg.Error as error:
            _postgres_problem.append(f"PostgreSQL unreachable ({POSTGRES_CONNINFO}): {error}")
    return _postgres_problem[0]


def _postgres_url(schema: str) -> str:
    params = psycopg.conninfo.conninfo_to_dict(POSTGRES_CONNINFO)
    host = params.get("host", "127.0.0.1")
    port = params.get("port", "5432")
    user = params.get("user", "postgres")
    password = f":{params['password']}" if params.get("password") else ""
    dbname = params.get("dbname", "test")
    # Every connection of the test lands in its own schema and carries its name, so the teardown
    # can end connections a test left open before dropping the schema.
    return (
        f"postgresql+psycopg://{user}{password}@{host}:{port}/{dbname}"
        # synchronous_commit=off: tests need no durability; commits stop waiting for the disk.
        f"?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
        f"&application_name={schema}"
    )


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema as a database URL; dropped afterwards."""
    problem = _postgres_unavailable()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    schema = f"pia_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES_CONNINFO, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_url(schema)
    finally:
        with psycopg.connect(POSTGRES_CONNINFO, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                (schema,),
            )
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pia.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An Engine on a migrated database."""
    upgrade(db_url)
    created = make_engine(db_url)
    try:
        yield created
    finally:
        created.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as opened:
        yield opened
