"""Who an initiative is open to, and the resident's gender and birth year it is checked against.

- `initiatives.open_to` (everyone, women, men): NOT NULL with the server
  default 'everyone', so every existing initiative stays open to everyone.
- `initiatives.min_age`, `max_age`: an optional age range (0 to 120, min <= max).
- `citizen_profiles.gender` (woman, man, other, rather_not_say) and
  `birth_year`: both optional; nobody has said anything yet, so both are NULL.

Generated on a scratch SQLite, then written over by hand: named CHECKs, batch
mode (SQLite adds a CHECK only by copying the table).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("citizen_profiles") as batch_op:
        batch_op.add_column(sa.Column("gender", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_citizen_profiles_gender_valid"),
            "gender IS NULL OR gender IN ('woman', 'man', 'other', 'rather_not_say')",
        )
        batch_op.create_check_constraint(
            op.f("ck_citizen_profiles_birth_year_range"),
            "birth_year IS NULL OR birth_year BETWEEN 1900 AND 2200",
        )

    with op.batch_alter_table("initiatives") as batch_op:
        batch_op.add_column(
            sa.Column("open_to", sa.String(length=20), server_default="everyone", nullable=False)
        )
        batch_op.add_column(sa.Column("min_age", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_age", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_initiatives_open_to_valid"), "open_to IN ('everyone', 'women', 'men')"
        )
        batch_op.create_check_constraint(
            op.f("ck_initiatives_min_age_range"), "min_age IS NULL OR min_age BETWEEN 0 AND 120"
        )
        batch_op.create_check_constraint(
            op.f("ck_initiatives_max_age_range"), "max_age IS NULL OR max_age BETWEEN 0 AND 120"
        )
        batch_op.create_check_constraint(
            op.f("ck_initiatives_min_age_le_max_age"),
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age",
        )


def downgrade():
    with op.batch_alter_table("initiatives") as batch_op:
        for name in ("open_to_valid", "min_age_range", "max_age_range", "min_age_le_max_age"):
            batch_op.drop_constraint(op.f(f"ck_initiatives_{name}"), type_="check")
        batch_op.drop_column("max_age")
        batch_op.drop_column("min_age")
        batch_op.drop_column("open_to")

    with op.batch_alter_table("citizen_profiles") as batch_op:
        batch_op.drop_constraint(op.f("ck_citizen_profiles_gender_valid"), type_="check")
        batch_op.drop_constraint(op.f("ck_citizen_profiles_birth_year_range"), type_="check")
        batch_op.drop_column("birth_year")
        batch_op.drop_column("gender")
