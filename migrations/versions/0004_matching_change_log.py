"""Matching change log and published snapshots.

`matching_changes` records, in the same transaction as a change, which
citizen or initiative matching must read again; workers read it after their
cursor before each matching question. On SQLite the table is AUTOINCREMENT
so ids are never reused after pruning (readers keep a cursor). On PostgreSQL
the id is a bigint identity.

`matching_snapshots` holds the compact snapshot file the scheduler builds,
which workers copy once per machine and map. Written by hand.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 00:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "matching_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_matching_changes_changed_at"), "matching_changes", ["changed_at"])
    op.create_table(
        "matching_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_id", sa.BigInteger(), nullable=False),
        sa.Column("citizens", sa.Integer(), nullable=False),
        sa.Column("initiatives", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_snapshots")),
    )


def downgrade():
    op.drop_table("matching_snapshots")
    op.drop_index(op.f("ix_matching_changes_changed_at"), table_name="matching_changes")
    op.drop_table("matching_changes")
