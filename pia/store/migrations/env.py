"""Alembic environment for pia, configured in code by pia.store.db.alembic_config.

The caller hands over an open connection (config.attributes["connection"]); migrations run on it in
the caller's transaction. SQLite gets batch mode so later migrations can alter tables.
"""

from __future__ import annotations

from alembic import context

from pia.store import public_models, review_models  # noqa: F401 (registers their tables)
from pia.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("pia's migrations run through pia.store.db.upgrade (no alembic.ini)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
