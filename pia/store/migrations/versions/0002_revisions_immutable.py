"""Revisions refuse UPDATE in the database itself, not only through the ORM.

A submission's answers, evaluation and fingerprint are evidence; a trigger makes any UPDATE of a
revision fail, whoever sends it. (Deleting stays possible only through the cascade from its
assessment, which pia never deletes; the ORM refuses direct deletes.)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "revisions are immutable: a submitted revision cannot be changed"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION revisions_refuse_update() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER revisions_immutable BEFORE UPDATE ON revisions "
            "FOR EACH ROW EXECUTE FUNCTION revisions_refuse_update()"
        )
    else:
        op.execute(
            "CREATE TRIGGER revisions_immutable BEFORE UPDATE ON revisions "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER revisions_immutable"
        + (" ON revisions" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION revisions_refuse_update()")
