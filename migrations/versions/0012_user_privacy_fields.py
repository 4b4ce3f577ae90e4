"""Account fields for residents' rights: phone, erased_at, is_municipal, inactivity_warned_at.

- `phone`: a number the person chose to give.
- `erased_at`: the account was erased; the row stays, anonymous, for the
  history other people need, and a CHECK keeps it unable to log in.
- `is_municipal`: a coordinator who sees the whole city (set by an admin).
- `inactivity_warned_at`: when the retention job warned of erasure for
  an unused account.
Written by hand; timestamps are `timestamptz` on PostgreSQL like every other one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 05:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite can add a CHECK constraint only by copying the table.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("is_municipal", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("inactivity_warned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_users_erased_not_usable"),
            "erased_at IS NULL OR (password_hash IS NULL AND NOT is_enabled)",
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_erased_not_usable"), type_="check")
        batch_op.drop_column("inactivity_warned_at")
        batch_op.drop_column("is_municipal")
        batch_op.drop_column("erased_at")
        batch_op.drop_column("phone")
