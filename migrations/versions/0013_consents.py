"""Consents as records: consents.

One row per answer a person gave: the privacy statement accepted, or
"professionals may invite me" said yes or no; with the hash and language of
the text shown, when, and how (the person, in person recorded by a
professional for one invitation, or imported as an organisation's intention).
The profile's consent_to_contact stays the current answer matching reads.
Existing profiles that consented get a `self` record, so the two agree from
the start; the wording they saw then is not known, so its version is the hash
of the word "unknown".
Written by hand; timestamps are `timestamptz` on PostgreSQL like every other one.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 05:30:00
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UNKNOWN_VERSION = hashlib.sha256(b"unknown").hexdigest()


def upgrade():
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('privacy_statement', 'invitations')", name=op.f("ck_consents_kind_valid")),
        sa.CheckConstraint("source IN ('self', 'in_person', 'imported')", name=op.f("ck_consents_source_valid")),
        sa.CheckConstraint("length(version) = 64", name=op.f("ck_consents_version_is_sha256")),
        sa.CheckConstraint("source <> 'in_person' OR (kind = 'invitations' AND invitation_id IS NOT NULL)",
                           name=op.f("ck_consents_in_person_is_one_invitation")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_consents_recorded_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name=op.f("fk_consents_invitation_id_invitations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_user_id_kind_given_at", "consents", ["user_id", "kind", "given_at"])
    op.create_index(op.f("ix_consents_recorded_by_id"), "consents", ["recorded_by_id"])
    op.create_index(op.f("ix_consents_invitation_id"), "consents", ["invitation_id"])
    op.execute(sa.text(
        "INSERT INTO consents (user_id, kind, granted, version, locale, given_at, source) "
        "SELECT p.user_id, 'invitations', :yes, :version, u.preferred_locale, p.consent_given_at, 'self' "
        "FROM citizen_profiles p JOIN users u ON u.id = p.user_id "
        "WHERE p.consent_to_contact AND p.consent_given_at IS NOT NULL"
    ).bindparams(yes=True, version=UNKNOWN_VERSION))


def downgrade():
    op.drop_index(op.f("ix_consents_invitation_id"), table_name="consents")
    op.drop_index(op.f("ix_consents_recorded_by_id"), table_name="consents")
    op.drop_index("ix_consents_user_id_kind_given_at", table_name="consents")
    op.drop_table("consents")
