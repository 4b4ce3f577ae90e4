"""Stored placement plans: plan_runs and plan_rows.

The placement plan is made by a scheduled job, not inside a request: a page
queues a plan (one waiting plan per scope, kept by a partial unique index),
the job stores its figures and rows, and pages show the stored rows with
their age. Written by hand; timestamps are `timestamptz` on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=True),
        sa.Column("scope_key", sa.String(length=130), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_plan_runs_state_valid")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_plan_runs_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_runs")),
    )
    op.create_index(op.f("ix_plan_runs_scope_key_state"), "plan_runs", ["scope_key", "state"])
    op.create_index(
        op.f("uq_plan_runs_queued_scope"), "plan_runs", ["scope_key"], unique=True,
        sqlite_where=sa.text("state = 'queued'"), postgresql_where=sa.text("state = 'queued'"),
    )
    op.create_table(
        "plan_rows",
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"], ["plan_runs.id"], name=op.f("fk_plan_rows_plan_run_id_plan_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["users.id"], name=op.f("fk_plan_rows_citizen_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"], name=op.f("fk_plan_rows_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_run_id", "position", name=op.f("pk_plan_rows")),
    )
    op.create_index(op.f("ix_plan_rows_citizen_id"), "plan_rows", ["citizen_id"])
    op.create_index(op.f("ix_plan_rows_initiative_id"), "plan_rows", ["initiative_id"])


def downgrade():
    op.drop_table("plan_rows")
    op.drop_table("plan_runs")
