"""The place of a continuity alert: continuity_alerts.neighbourhood_id.

The coordinator's dashboard filters, counts and sorts unresolved alerts by
place. The place was worked out per query (the initiative's neighbourhood,
else the volunteer's home), joining initiatives and citizen profiles to every
alert: at city scale that was most of the dashboard's time. The scan now
keeps the place on the alert; this migration adds the column and fills it the
same way. Generated, then written out by hand: batch mode because SQLite can
add a foreign key only by copying the table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 02:42:21
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("continuity_alerts") as batch_op:
        batch_op.add_column(sa.Column("neighbourhood_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_continuity_alerts_neighbourhood_id_neighbourhoods"),
            "neighbourhoods", ["neighbourhood_id"], ["id"], ondelete="SET NULL",
        )
        batch_op.create_index("ix_continuity_alerts_status_neighbourhood", ["status", "neighbourhood_id"])
    # Every alert, resolved ones too: the history pages show where each one was.
    op.execute(
        "UPDATE continuity_alerts SET neighbourhood_id = coalesce("
        "(SELECT initiatives.neighbourhood_id FROM initiatives"
        " WHERE initiatives.id = continuity_alerts.initiative_id),"
        "(SELECT citizen_profiles.neighbourhood_id FROM citizen_profiles"
        " WHERE citizen_profiles.user_id = continuity_alerts.citizen_id))"
    )


def downgrade():
    with op.batch_alter_table("continuity_alerts") as batch_op:
        batch_op.drop_index("ix_continuity_alerts_status_neighbourhood")
        batch_op.drop_constraint(op.f("fk_continuity_alerts_neighbourhood_id_neighbourhoods"), type_="foreignkey")
        batch_op.drop_column("neighbourhood_id")
