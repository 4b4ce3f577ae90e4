"""The mail outbox: outbox_mails.

A mail is a row written in the same transaction as the change that causes it;
the scheduler's mail_outbox job sends it with retries. Written by hand after
autogenerate; timestamps are `timestamptz` on PostgreSQL like every other one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f("ck_outbox_mails_status_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mails")),
    )
    op.create_index("ix_outbox_mails_status_next_attempt_at", "outbox_mails", ["status", "next_attempt_at"])


def downgrade():
    op.drop_index("ix_outbox_mails_status_next_attempt_at", table_name="outbox_mails")
    op.drop_table("outbox_mails")
