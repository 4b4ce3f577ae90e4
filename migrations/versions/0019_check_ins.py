"""Monthly check-ins, attendance, thanks, and how a volunteer came in.

- `volunteer_check_ins`: one month's question to an active volunteer about one
  placement (sent with a signed link that works once), and the answer: still
  helping (yes / paused / stopped), three five-point scales and a comment. One
  per placement and month; gone with the placement (CASCADE).
- `contact_check_ins`: a contact professional's month for one initiative:
  hours, lighter / heavier, needs help, comment. One per initiative,
  professional and month.
- `placement_thanks`: the contact's sentence of thanks on a volunteer's
  recognition statement, one per placement.
- `placement_check_ins.minutes`: time given that day, when recorded (attendance
  and "I helped today"); kind may now also be 'citizen_helped'.
- `placements.came_through`: invitation / own / plan. Existing placements with
  an invitation came through an invitation; the rest are taken as own
  sign-ups (plan invitations were not told apart before).
- `continuity_alerts.kind`: three new kinds from the check-ins.

Generated on a scratch SQLite, then tidied by hand: the backfill and the two
changed CHECKs (same names, new values) are hand-written; autogenerate does not
see a CHECK whose text changed.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 14:52:19
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_CHECK_IN_KINDS = "'activity', 'citizen_confirmed'"
_ALERT_KINDS = ("'single_volunteer', 'no_volunteers', 'below_minimum', 'no_contact', 'ending_soon', "
                "'volunteer_overload', 'volunteer_inactive'")
_NEW_ALERT_KINDS = "'volunteer_strain', 'contact_strain', 'check_ins_unanswered'"


def _kinds(table: str, values: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_kind_valid"), type_="check")
        batch_op.create_check_constraint(op.f(f"ck_{table}_kind_valid"), f"kind IN ({values})")


def upgrade():
    op.create_table(
        "volunteer_check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_via", sa.String(length=10), nullable=True),
        sa.Column("still_helping", sa.String(length=10), nullable=True),
        sa.Column("appreciated", sa.SmallInteger(), nullable=True),
        sa.Column("supported", sa.SmallInteger(), nullable=True),
        sa.Column("too_much", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint("still_helping IS NULL OR still_helping IN ('yes', 'paused', 'stopped')",
                           name=op.f("ck_volunteer_check_ins_still_helping_valid")),
        sa.CheckConstraint("(answered_at IS NULL) = (still_helping IS NULL)",
                           name=op.f("ck_volunteer_check_ins_answer_is_whole")),
        sa.CheckConstraint("appreciated IS NULL OR appreciated BETWEEN 1 AND 5",
                           name=op.f("ck_volunteer_check_ins_appreciated_on_scale")),
        sa.CheckConstraint("supported IS NULL OR supported BETWEEN 1 AND 5",
                           name=op.f("ck_volunteer_check_ins_supported_on_scale")),
        sa.CheckConstraint("too_much IS NULL OR too_much BETWEEN 1 AND 5",
                           name=op.f("ck_volunteer_check_ins_too_much_on_scale")),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_volunteer_check_ins_placement_id_placements"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_check_ins")),
        sa.UniqueConstraint("placement_id", "month", name=op.f("uq_volunteer_check_ins_placement_id_month")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_volunteer_check_ins_token_hash")),
    )
    op.create_index("ix_volunteer_check_ins_month", "volunteer_check_ins", ["month"])

    op.create_table(
        "contact_check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hours", sa.Integer(), nullable=True),
        sa.Column("burden", sa.String(length=10), nullable=True),
        sa.Column("needs_help", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint("burden IS NULL OR burden IN ('lighter', 'same', 'heavier')",
                           name=op.f("ck_contact_check_ins_burden_valid")),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name=op.f("ck_contact_check_ins_hours_not_negative")),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiatives.id"],
                                name=op.f("fk_contact_check_ins_initiative_id_initiatives"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["professional_id"], ["users.id"],
                                name=op.f("fk_contact_check_ins_professional_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_check_ins")),
        sa.UniqueConstraint("initiative_id", "professional_id", "month",
                            name=op.f("uq_contact_check_ins_initiative_id_professional_id_month")),
    )
    op.create_index("ix_contact_check_ins_month", "contact_check_ins", ["month"])
    op.create_index(op.f("ix_contact_check_ins_professional_id"), "contact_check_ins", ["professional_id"])

    op.create_table(
        "placement_thanks",
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_placement_thanks_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_placement_thanks_placement_id_placements"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("placement_id", name=op.f("pk_placement_thanks")),
    )

    with op.batch_alter_table("placement_check_ins") as batch_op:
        batch_op.add_column(sa.Column("minutes", sa.Integer(), nullable=True))
    _kinds("placement_check_ins", _CHECK_IN_KINDS + ", 'citizen_helped'")
    _kinds("continuity_alerts", _ALERT_KINDS + ", " + _NEW_ALERT_KINDS)

    with op.batch_alter_table("placements") as batch_op:
        batch_op.add_column(sa.Column("came_through", sa.String(length=20), server_default="own", nullable=False))
        batch_op.create_check_constraint(op.f("ck_placements_came_through_valid"),
                                         "came_through IN ('invitation', 'own', 'plan')")
    op.execute("UPDATE placements SET came_through = 'invitation' "
               "WHERE id IN (SELECT placement_id FROM invitations)")


def downgrade():
    with op.batch_alter_table("placements") as batch_op:
        batch_op.drop_constraint(op.f("ck_placements_came_through_valid"), type_="check")
        batch_op.drop_column("came_through")

    op.execute(f"DELETE FROM continuity_alerts WHERE kind IN ({_NEW_ALERT_KINDS})")
    _kinds("continuity_alerts", _ALERT_KINDS)
    op.execute("DELETE FROM placement_check_ins WHERE kind = 'citizen_helped'")
    _kinds("placement_check_ins", _CHECK_IN_KINDS)
    with op.batch_alter_table("placement_check_ins") as batch_op:
        batch_op.drop_column("minutes")

    op.drop_table("placement_thanks")
    op.drop_index(op.f("ix_contact_check_ins_professional_id"), table_name="contact_check_ins")
    op.drop_index("ix_contact_check_ins_month", table_name="contact_check_ins")
    op.drop_table("contact_check_ins")
    op.drop_index("ix_volunteer_check_ins_month", table_name="volunteer_check_ins")
    op.drop_table("volunteer_check_ins")
