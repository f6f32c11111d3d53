"""The audit trail becomes a hash chain: every event carries its place, the previous event's
hash and its own; one head row records where the chain ends. Existing events are chained in the
order they were written (by id).

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pia.store.audit_chain import GENESIS, HEAD_ID, hash_of
from pia.store.models import UtcDateTime

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_audit_events_seq"), ["seq"], unique=True)
        batch.create_index(batch.f("ix_audit_events_actor_id_seq"), ["actor_id", "seq"])
        batch.create_index(batch.f("ix_audit_events_agency_id_seq"), ["agency_id", "seq"])
        batch.create_index(batch.f("ix_audit_events_action_seq"), ["action", "seq"])
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    seq, last_hash = _chain_existing_events()
    op.bulk_insert(head, [{"id": HEAD_ID, "seq": seq, "hash": last_hash}])


def _chain_existing_events() -> tuple[int, str]:
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer()),
        sa.column("at", UtcDateTime()),
        sa.column("actor_id", sa.Integer()),
        sa.column("agency_id", sa.Integer()),
        sa.column("assessment_id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("detail", sa.JSON()),
        sa.column("seq", sa.Integer()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    connection = op.get_bind()
    seq, last_hash, after = 0, GENESIS, -1
    while True:
        rows = connection.execute(
            sa.select(events).where(events.c.id > after).order_by(events.c.id).limit(BATCH)
        ).all()
        for row in rows:
            seq += 1
            digest = hash_of(row, last_hash)
            connection.execute(
                events.update()
                .where(events.c.id == row.id)
                .values(seq=seq, prev_hash=last_hash, hash=digest)
            )
            last_hash = digest
        if len(rows) < BATCH:
            return seq, last_hash
        after = rows[-1].id


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index(batch.f("ix_audit_events_action_seq"))
        batch.drop_index(batch.f("ix_audit_events_agency_id_seq"))
        batch.drop_index(batch.f("ix_audit_events_actor_id_seq"))
        batch.drop_index(batch.f("ix_audit_events_seq"))
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
