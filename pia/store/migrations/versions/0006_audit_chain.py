"""The audit trail becomes a hash chain: every event carries its place, the previous event's
hash and its own; one head row records where the chain ends. Existing events are chained in the
order they were written (by id). Notifications get an outbox and a table of reminders queued.

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
    _create_mail_tables()


def _create_mail_tables() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_mail_outbox_assessment_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(
        op.f("ix_mail_outbox_sent_at_failed_at_next_attempt_at"),
        "mail_outbox",
        ["sent_at", "failed_at", "next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "mail_reminders",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_mail_reminders")),
    )


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
    op.drop_table("mail_reminders")
    op.drop_index(
        op.f("ix_mail_outbox_sent_at_failed_at_next_attempt_at"), table_name="mail_outbox"
    )
    op.drop_table("mail_outbox")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index(batch.f("ix_audit_events_action_seq"))
        batch.drop_index(batch.f("ix_audit_events_agency_id_seq"))
        batch.drop_index(batch.f("ix_audit_events_actor_id_seq"))
        batch.drop_index(batch.f("ix_audit_events_seq"))
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
