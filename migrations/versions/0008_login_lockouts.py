"""Login lockouts: failed logins in a row per account and the lock they cause.

One row per account with recent failed logins (removed by a successful login
or a new password). Generated, then written out by hand.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_lockouts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_login_lockouts_failed_logins_not_negative")),
        sa.CheckConstraint("lockouts >= 0", name=op.f("ck_login_lockouts_lockouts_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_lockouts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_login_lockouts")),
    )


def downgrade():
    op.drop_table("login_lockouts")
