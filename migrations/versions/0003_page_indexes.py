"""Indexes for the search and its filters.

The search filters initiatives by interest, target group and language
through association tables whose primary key starts with the initiative, so
a filter by code read the whole table: each gets an index on (code,
initiative). The default order, newest open initiatives first, gets
(status, created_at, id). On PostgreSQL the text filter, `lower(title)
LIKE '%word%'` and the same on the description, gets trigram GIN indexes
(pg_trgm, a trusted extension the database owner may create); SQLite has no
such index and scans. Written by hand.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 23:50:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ASSOCIATIONS = (
    ("initiative_interests", "interest_code"),
    ("initiative_target_groups", "target_group_code"),
    ("initiative_languages", "language_code"),
)
TRIGRAM_COLUMNS = ("title", "description")


def upgrade():
    for table, column in ASSOCIATIONS:
        op.create_index(f"ix_{table}_{column}", table, [column, "initiative_id"])
    op.create_index("ix_initiatives_status_created_at", "initiatives", ["status", "created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in TRIGRAM_COLUMNS:
            op.execute(
                f"CREATE INDEX ix_initiatives_{column}_trgm ON initiatives "
                f"USING gin (lower({column}) gin_trgm_ops)"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_initiatives_{column}_trgm")
        # The extension stays: other objects may use it, and dropping it needs more rights.
    op.drop_index("ix_initiatives_status_created_at", table_name="initiatives")
    for table, column in ASSOCIATIONS:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
