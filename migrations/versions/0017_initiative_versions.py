"""Initiatives in several languages, and the languages professionals speak.

- `initiatives.written_in`: the language of the title, description and
  tasks. NOT NULL with the server default 'nl': the service's texts so far are
  taken as written in Dutch, its default language; a professional corrects it.
- `initiative_versions`: the title and description in another language, one
  per initiative and language; gone with the initiative (CASCADE).
- `initiative_task_versions`: a task's title in another language, kept per
  task so editing the task list never misaligns it; gone with the task.
- `user_languages`: the languages a professional speaks with residents; gone
  with the account (CASCADE), indexed by language for the search filter.

Generated on a scratch SQLite, then tidied by hand (names, order).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("initiatives") as batch_op:
        batch_op.add_column(
            sa.Column("written_in", sa.String(length=10), server_default="nl", nullable=False)
        )

    op.create_table(
        "initiative_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_initiative_versions_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_versions_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_versions")),
        sa.UniqueConstraint(
            "initiative_id", "locale", name=op.f("uq_initiative_versions_initiative_id_locale")
        ),
    )
    op.create_table(
        "initiative_task_versions",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "length(title) > 0", name=op.f("ck_initiative_task_versions_title_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["initiative_tasks.id"],
            name=op.f("fk_initiative_task_versions_task_id_initiative_tasks"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "locale", name=op.f("pk_initiative_task_versions")),
    )
    op.create_table(
        "user_languages",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["language_code"], ["languages.code"],
            name=op.f("fk_user_languages_language_code_languages"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_languages_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "language_code", name=op.f("pk_user_languages")),
    )
    op.create_index(
        "ix_user_languages_language_code", "user_languages", ["language_code", "user_id"], unique=False
    )


def downgrade():
    op.drop_index("ix_user_languages_language_code", table_name="user_languages")
    op.drop_table("user_languages")
    op.drop_table("initiative_task_versions")
    op.drop_table("initiative_versions")
    with op.batch_alter_table("initiatives") as batch_op:
        batch_op.drop_column("written_in")
