"""The residents an audit entry concerns: audit_log_residents.

Moves the resident ids of staff looks out of audit_log.details (a JSON list
that could only be searched by scanning the whole log) into rows, so a
resident's "who looked at my data" is one indexed read. Existing entries are
copied over on the way up and back on the way down.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:40:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("details", sa.JSON))
_residents = sa.table("audit_log_residents", sa.column("citizen_id", sa.Integer),
                      sa.column("entry_id", sa.Integer))


def upgrade():
    op.create_table(
        "audit_log_residents",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["users.id"], name=op.f("fk_audit_log_residents_citizen_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id"], ["audit_log.id"], name=op.f("fk_audit_log_residents_entry_id_audit_log"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("citizen_id", "entry_id", name=op.f("pk_audit_log_residents")),
    )
    op.create_index("ix_audit_log_residents_entry_id", "audit_log_residents", ["entry_id"])
    connection = op.get_bind()
    users = {row[0] for row in connection.execute(sa.text("SELECT id FROM users"))}
    for entry_id, details in connection.execute(sa.select(_log.c.id, _log.c.details)).all():
        details = json.loads(details) if isinstance(details, str) else dict(details or {})
        citizen_ids = details.pop("citizen_ids", None)
        if citizen_ids is None:
            continue
        rows = [{"citizen_id": citizen_id, "entry_id": entry_id}
                for citizen_id in sorted(set(citizen_ids)) if citizen_id in users]
        if rows:
            connection.execute(_residents.insert(), rows)
        connection.execute(_log.update().where(_log.c.id == entry_id).values(details=details))


def downgrade():
    connection = op.get_bind()
    by_entry: dict[int, list[int]] = {}
    for citizen_id, entry_id in connection.execute(sa.select(_residents.c.citizen_id, _residents.c.entry_id)):
        by_entry.setdefault(entry_id, []).append(citizen_id)
    for entry_id, citizen_ids in by_entry.items():
        details = connection.execute(sa.select(_log.c.details).where(_log.c.id == entry_id)).scalar_one()
        details = json.loads(details) if isinstance(details, str) else dict(details or {})
        details["citizen_ids"] = sorted(citizen_ids)
        connection.execute(_log.update().where(_log.c.id == entry_id).values(details=details))
    op.drop_index("ix_audit_log_residents_entry_id", table_name="audit_log_residents")
    op.drop_table("audit_log_residents")
