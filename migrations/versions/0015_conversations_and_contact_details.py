"""A conversation per placement, and contact details by choice.

- `placement_messages`: the messages between a resident and the contact
  persons of an initiative. ON DELETE CASCADE from `placements` (the
  conversation belongs to the placement); SET NULL from `users` (an account is
  erased, not deleted: services/erasure.py blanks the words).
- `conversation_reads`: how far each reader has read a conversation; CASCADE
  from both sides (it is only a marker).
- `users.work_email`: staff's work address, shown to their participants.
- `users.shares_phone`, `users.shares_email`: what a resident shares with the
  contact persons of initiatives they are accepted in; false for everyone
  until they choose (only messages through the site).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversation_reads",
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("read_up_to", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_conversation_reads_placement_id_placements"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["users.id"],
                                name=op.f("fk_conversation_reads_reader_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("placement_id", "reader_id", name=op.f("pk_conversation_reads")),
    )
    op.create_index(op.f("ix_conversation_reads_reader_id"), "conversation_reads", ["reader_id"])

    op.create_table(
        "placement_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_placement_messages_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"],
                                name=op.f("fk_placement_messages_placement_id_placements"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_messages")),
    )
    op.create_index(op.f("ix_placement_messages_author_id"), "placement_messages", ["author_id"])
    op.create_index("ix_placement_messages_placement_id_id", "placement_messages", ["placement_id", "id"])

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("work_email", sa.String(length=254), nullable=True))
        # Existing residents share nothing until they choose.
        batch_op.add_column(sa.Column("shares_phone", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("shares_email", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("shares_email")
        batch_op.drop_column("shares_phone")
        batch_op.drop_column("work_email")
    op.drop_index("ix_placement_messages_placement_id_id", table_name="placement_messages")
    op.drop_index(op.f("ix_placement_messages_author_id"), table_name="placement_messages")
    op.drop_table("placement_messages")
    op.drop_index(op.f("ix_conversation_reads_reader_id"), table_name="conversation_reads")
    op.drop_table("conversation_reads")
