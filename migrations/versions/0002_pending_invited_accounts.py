"""Pending invited accounts: users.pending_since.

A professional may invite someone who has no account yet, by e-mail. The
invitation then creates a citizen account that nobody can use or see until
the person completes it from the link: `pending_since` marks it, and a CHECK
keeps such an account without a password and disabled. Written by hand; the
timestamp is `timestamptz` on PostgreSQL like every other one.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite can add a CHECK constraint only by copying the table.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_users_pending_not_usable"),
            "pending_since IS NULL OR (password_hash IS NULL AND NOT is_enabled)",
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_pending_not_usable"), type_="check")
        batch_op.drop_column("pending_since")
