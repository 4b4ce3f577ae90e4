"""Erasure keeps other people's history: placements and contact periods never go by cascade.

- `placements.citizen_id`: ON DELETE CASCADE becomes RESTRICT. A placement is
  also the initiative's history (its counts, continuity figures, the
  professional's funnel), so deleting a user row can no longer take it along:
  an account that took part is erased, not deleted. Only pending accounts are
  deleted, and their placements are deleted first, by name.
- `initiative_contacts.professional_id`: no rule (NO ACTION) becomes an explicit
  RESTRICT; the contact history outlives the professional.
- `placements.end_reason` may be `left_service`: the placements an erasure ends.

docs/erasure.md has the decision for every foreign key to users. Written by
hand; batch mode because SQLite changes a foreign key or a CHECK only by
copying the table (env.py turns foreign keys off meanwhile).

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-01 05:40:00
"""

from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

_REASONS = "'no_time', 'health', 'moved', 'not_a_fit', 'initiative_closed', 'other'"


def _placements(citizen_ondelete: str, reasons: str) -> None:
    with op.batch_alter_table("placements") as batch_op:
        batch_op.drop_constraint(op.f("fk_placements_citizen_id_users"), type_="foreignkey")
        batch_op.create_foreign_key(
            op.f("fk_placements_citizen_id_users"), "users", ["citizen_id"], ["id"],
            ondelete=citizen_ondelete,
        )
        batch_op.drop_constraint(op.f("ck_placements_end_reason_valid"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_placements_end_reason_valid"), f"end_reason IS NULL OR end_reason IN ({reasons})"
        )


def _contacts(ondelete: str | None) -> None:
    with op.batch_alter_table("initiative_contacts") as batch_op:
        batch_op.drop_constraint(op.f("fk_initiative_contacts_professional_id_users"), type_="foreignkey")
        batch_op.create_foreign_key(
            op.f("fk_initiative_contacts_professional_id_users"), "users", ["professional_id"], ["id"],
            ondelete=ondelete,
        )


def upgrade():
    _placements("RESTRICT", _REASONS + ", 'left_service'")
    _contacts("RESTRICT")


def downgrade():
    op.execute("UPDATE placements SET end_reason = 'other' WHERE end_reason = 'left_service'")
    _contacts(None)
    _placements("CASCADE", _REASONS)
