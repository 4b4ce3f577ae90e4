"""Initial schema: every table of the first release.

Creates reference data, accounts, citizen profiles, initiatives, placements,
continuity alerts and job bookkeeping, in dependency order and grouped as the
model modules are. Every constraint and index carries its final name (`op.f`),
spelled out as the naming convention in coprod_match/models/base.py produces
it, and enum value lists are written out, so this file does not depend on the
app's code. All timestamps are `timestamptz` on PostgreSQL (`UTCDateTime` in
the models). The three partial unique indexes carry their WHERE clause for both
SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 23:07:21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # --- Reference data -------------------------------------------------------------------
    op.create_table(
        "neighbourhoods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90", name=op.f("ck_neighbourhoods_latitude_range")
        ),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_neighbourhoods_longitude_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_neighbourhoods")),
        sa.UniqueConstraint("name", name=op.f("uq_neighbourhoods_name")),
    )
    op.create_index(op.f("ix_neighbourhoods_district"), "neighbourhoods", ["district"])

    op.create_table(
        "languages",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("english_name", sa.String(length=80), nullable=False),
        sa.Column("dutch_name", sa.String(length=80), nullable=False),
        sa.Column("endonym", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_languages")),
    )
    op.create_table(
        "interest_categories",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.String(length=160), nullable=False),
        sa.Column("label_nl", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_interest_categories")),
    )
    op.create_table(
        "target_groups",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.String(length=160), nullable=False),
        sa.Column("label_nl", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_target_groups")),
    )

    # --- Accounts ---------------------------------------------------------------------------
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("preferred_locale", sa.String(length=10), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lowercase")),
        sa.CheckConstraint(
            "role IN ('citizen', 'professional', 'coordinator', 'admin')",
            name=op.f("ck_users_role_valid"),
        ),
        sa.CheckConstraint(
            "length(display_name) > 0", name=op.f("ck_users_display_name_not_empty")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_role"), "users", ["role"])

    op.create_table(
        "user_work_areas",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_user_work_areas_user_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"],
            name=op.f("fk_user_work_areas_neighbourhood_id_neighbourhoods"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "neighbourhood_id", name=op.f("pk_user_work_areas")),
    )

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(
        op.f("ix_notifications_user_id_read_at"), "notifications", ["user_id", "read_at"]
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"],
            name=op.f("fk_audit_log_actor_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_actor_id"), "audit_log", ["actor_id"])
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_entity"), "audit_log", ["entity_type", "entity_id"])

    # --- Citizens ---------------------------------------------------------------------------
    op.create_table(
        "citizen_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=True),
        sa.Column("wants_to_practise_dutch", sa.Boolean(), nullable=False),
        sa.Column("availability_slots", sa.Integer(), nullable=False),
        sa.Column("max_hours_per_week", sa.Integer(), nullable=True),
        sa.Column("max_initiatives", sa.Integer(), nullable=False),
        sa.Column("consent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # 2097151: all 21 bits of the weekly grid (7 days x 3 parts of the day).
        sa.CheckConstraint(
            "availability_slots BETWEEN 0 AND 2097151",
            name=op.f("ck_citizen_profiles_availability_slots_range"),
        ),
        sa.CheckConstraint(
            "max_hours_per_week IS NULL OR max_hours_per_week BETWEEN 1 AND 60",
            name=op.f("ck_citizen_profiles_max_hours_per_week_range"),
        ),
        sa.CheckConstraint(
            "max_initiatives BETWEEN 1 AND 10",
            name=op.f("ck_citizen_profiles_max_initiatives_range"),
        ),
        sa.CheckConstraint(
            "NOT consent_to_contact OR consent_given_at IS NOT NULL",
            name=op.f("ck_citizen_profiles_consent_has_time"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_citizen_profiles_user_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"],
            name=op.f("fk_citizen_profiles_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_citizen_profiles")),
    )
    op.create_index(
        op.f("ix_citizen_profiles_neighbourhood_id"), "citizen_profiles", ["neighbourhood_id"]
    )

    op.create_table(
        "citizen_interests",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("interest_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen_profiles.user_id"],
            name=op.f("fk_citizen_interests_citizen_id_citizen_profiles"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interest_code"], ["interest_categories.code"],
            name=op.f("fk_citizen_interests_interest_code_interest_categories"),
        ),
        sa.PrimaryKeyConstraint("citizen_id", "interest_code", name=op.f("pk_citizen_interests")),
    )

    op.create_table(
        "citizen_languages",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("language_code", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "level IN ('native', 'fluent', 'conversational', 'basic')",
            name=op.f("ck_citizen_languages_level_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen_profiles.user_id"],
            name=op.f("fk_citizen_languages_citizen_id_citizen_profiles"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["language_code"], ["languages.code"],
            name=op.f("fk_citizen_languages_language_code_languages"),
        ),
        sa.PrimaryKeyConstraint("citizen_id", "language_code", name=op.f("pk_citizen_languages")),
    )

    # --- Initiatives ------------------------------------------------------------------------
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("schedule_slots", sa.Integer(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("volunteers_min", sa.Integer(), nullable=False),
        sa.Column("volunteers_ideal", sa.Integer(), nullable=False),
        sa.Column("welcomes_dutch_learners", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'paused', 'closed')",
            name=op.f("ck_initiatives_status_valid"),
        ),
        sa.CheckConstraint(
            "volunteers_min >= 0", name=op.f("ck_initiatives_volunteers_min_not_negative")
        ),
        sa.CheckConstraint(
            "volunteers_ideal >= 1", name=op.f("ck_initiatives_volunteers_ideal_positive")
        ),
        sa.CheckConstraint(
            "volunteers_min <= volunteers_ideal", name=op.f("ck_initiatives_volunteers_min_le_ideal")
        ),
        sa.CheckConstraint(
            "schedule_slots BETWEEN 0 AND 2097151", name=op.f("ck_initiatives_schedule_slots_range")
        ),
        sa.CheckConstraint(
            "hours_per_week BETWEEN 1 AND 40", name=op.f("ck_initiatives_hours_per_week_range")
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_initiatives_end_after_start")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_initiatives_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"],
            name=op.f("fk_initiatives_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"],
            name=op.f("fk_initiatives_created_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
    )
    op.create_index(op.f("ix_initiatives_neighbourhood_id"), "initiatives", ["neighbourhood_id"])
    op.create_index(op.f("ix_initiatives_status"), "initiatives", ["status"])

    op.create_table(
        "initiative_interests",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("interest_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_interests_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interest_code"], ["interest_categories.code"],
            name=op.f("fk_initiative_interests_interest_code_interest_categories"),
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "interest_code", name=op.f("pk_initiative_interests")
        ),
    )
    op.create_table(
        "initiative_target_groups",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("target_group_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_target_groups_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_group_code"], ["target_groups.code"],
            name=op.f("fk_initiative_target_groups_target_group_code_target_groups"),
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "target_group_code", name=op.f("pk_initiative_target_groups")
        ),
    )
    op.create_table(
        "initiative_languages",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("language_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_languages_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["language_code"], ["languages.code"],
            name=op.f("fk_initiative_languages_language_code_languages"),
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "language_code", name=op.f("pk_initiative_languages")
        ),
    )

    op.create_table(
        "initiative_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "kind IN ('core', 'complementary')", name=op.f("ck_initiative_tasks_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_tasks_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_tasks")),
        sa.UniqueConstraint(
            "initiative_id", "position", name=op.f("uq_initiative_tasks_initiative_id_position")
        ),
    )

    op.create_table(
        "initiative_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ends_at IS NULL OR ends_at >= starts_at",
            name=op.f("ck_initiative_contacts_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_contacts_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"], ["users.id"],
            name=op.f("fk_initiative_contacts_professional_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_contacts")),
    )
    op.create_index(
        op.f("ix_initiative_contacts_initiative_id"), "initiative_contacts", ["initiative_id"]
    )
    op.create_index(
        op.f("ix_initiative_contacts_professional_id"), "initiative_contacts", ["professional_id"]
    )
    # At most one open contact period per professional and initiative.
    op.create_index(
        op.f("uq_initiative_contacts_open_period"),
        "initiative_contacts",
        ["initiative_id", "professional_id"],
        unique=True,
        sqlite_where=sa.text("ends_at IS NULL"),
        postgresql_where=sa.text("ends_at IS NULL"),
    )

    # --- Placements -------------------------------------------------------------------------
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=40), nullable=True),
        sa.Column("end_note", sa.Text(), nullable=True),
        sa.Column("citizen_message", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('suggested', 'invited', 'applied', 'accepted', 'declined', 'rejected',"
            " 'expired', 'active', 'paused', 'ended')",
            name=op.f("ck_placements_state_valid"),
        ),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('no_time', 'health', 'moved', 'not_a_fit',"
            " 'initiative_closed', 'other')",
            name=op.f("ck_placements_end_reason_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["users.id"],
            name=op.f("fk_placements_citizen_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_placements_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    op.create_index(op.f("ix_placements_citizen_id"), "placements", ["citizen_id"])
    op.create_index(
        op.f("ix_placements_initiative_id_state"), "placements", ["initiative_id", "state"]
    )
    # At most one live placement per citizen and initiative; final ones stay as history.
    op.create_index(
        op.f("uq_placements_live_citizen_initiative"),
        "placements",
        ["citizen_id", "initiative_id"],
        unique=True,
        sqlite_where=sa.text("state NOT IN ('declined', 'ended', 'expired', 'rejected')"),
        postgresql_where=sa.text("state NOT IN ('declined', 'ended', 'expired', 'rejected')"),
    )

    op.create_table(
        "placement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "from_state IS NULL OR from_state IN ('suggested', 'invited', 'applied', 'accepted',"
            " 'declined', 'rejected', 'expired', 'active', 'paused', 'ended')",
            name=op.f("ck_placement_events_from_state_valid"),
        ),
        sa.CheckConstraint(
            "to_state IN ('suggested', 'invited', 'applied', 'accepted', 'declined', 'rejected',"
            " 'expired', 'active', 'paused', 'ended')",
            name=op.f("ck_placement_events_to_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"],
            name=op.f("fk_placement_events_placement_id_placements"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"],
            name=op.f("fk_placement_events_actor_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_events")),
    )
    op.create_index(
        op.f("ix_placement_events_placement_id"), "placement_events", ["placement_id"]
    )

    op.create_table(
        "placement_check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('activity', 'citizen_confirmed')",
            name=op.f("ck_placement_check_ins_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"],
            name=op.f("fk_placement_check_ins_placement_id_placements"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"],
            name=op.f("fk_placement_check_ins_recorded_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_check_ins")),
    )
    op.create_index(
        op.f("ix_placement_check_ins_placement_id"), "placement_check_ins", ["placement_id"]
    )

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("decline_reason", sa.String(length=30), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("expires_at > sent_at", name=op.f("ck_invitations_expires_after_sent")),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('accepted', 'declined')",
            name=op.f("ck_invitations_answer_valid"),
        ),
        sa.CheckConstraint(
            "decline_reason IS NULL OR decline_reason IN ('not_now', 'not_my_thing', 'too_far',"
            " 'language', 'other')",
            name=op.f("ck_invitations_decline_reason_valid"),
        ),
        sa.CheckConstraint(
            "(answer IS NULL) = (answered_at IS NULL)", name=op.f("ck_invitations_answer_has_time")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"],
            name=op.f("fk_invitations_placement_id_placements"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"],
            name=op.f("fk_invitations_sender_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_placement_id"), "invitations", ["placement_id"])
    op.create_index(op.f("ix_invitations_sender_id"), "invitations", ["sender_id"])

    # --- Continuity alerts ------------------------------------------------------------------
    op.create_table(
        "continuity_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("condition_key", sa.String(length=120), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("previous_alert_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('single_volunteer', 'no_volunteers', 'below_minimum', 'no_contact',"
            " 'ending_soon', 'volunteer_overload', 'volunteer_inactive')",
            name=op.f("ck_continuity_alerts_kind_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')",
            name=op.f("ck_continuity_alerts_status_valid"),
        ),
        sa.CheckConstraint(
            "initiative_id IS NOT NULL OR citizen_id IS NOT NULL",
            name=op.f("ck_continuity_alerts_has_subject"),
        ),
        sa.CheckConstraint(
            "(status = 'resolved') = (resolved_at IS NOT NULL)",
            name=op.f("ck_continuity_alerts_resolved_has_time"),
        ),
        sa.CheckConstraint(
            "last_seen_at >= first_seen_at", name=op.f("ck_continuity_alerts_seen_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_continuity_alerts_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["users.id"],
            name=op.f("fk_continuity_alerts_citizen_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"],
            name=op.f("fk_continuity_alerts_assignee_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["previous_alert_id"], ["continuity_alerts.id"],
            name=op.f("fk_continuity_alerts_previous_alert_id_continuity_alerts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_continuity_alerts")),
    )
    op.create_index(
        op.f("ix_continuity_alerts_condition_key"), "continuity_alerts", ["condition_key"]
    )
    op.create_index(
        op.f("ix_continuity_alerts_initiative_id"), "continuity_alerts", ["initiative_id"]
    )
    op.create_index(op.f("ix_continuity_alerts_citizen_id"), "continuity_alerts", ["citizen_id"])
    op.create_index(
        op.f("ix_continuity_alerts_status_kind"), "continuity_alerts", ["status", "kind"]
    )
    # One unresolved alert per condition, even when two scans race.
    op.create_index(
        op.f("uq_continuity_alerts_unresolved_condition"),
        "continuity_alerts",
        ["condition_key"],
        unique=True,
        sqlite_where=sa.text("status <> 'resolved'"),
        postgresql_where=sa.text("status <> 'resolved'"),
    )

    op.create_table(
        "alert_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_alert_notes_body_not_empty")),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["continuity_alerts.id"],
            name=op.f("fk_alert_notes_alert_id_continuity_alerts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"],
            name=op.f("fk_alert_notes_author_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notes")),
    )
    op.create_index(op.f("ix_alert_notes_alert_id"), "alert_notes", ["alert_id"])

    # --- Scheduled jobs ---------------------------------------------------------------------
    op.create_table(
        "job_leases",
        sa.Column("job_name", sa.String(length=80), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_name", name=op.f("pk_job_leases")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_name", sa.String(length=80), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('running', 'succeeded', 'failed', 'skipped')",
            name=op.f("ck_job_runs_outcome_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    op.create_index(
        op.f("ix_job_runs_job_name_started_at"), "job_runs", ["job_name", "started_at"]
    )


def downgrade():
    # Reverse of upgrade(): dependants before what they reference. A table's
    # indexes and constraints go with it.
    op.drop_table("job_runs")
    op.drop_table("job_leases")

    op.drop_table("alert_notes")
    op.drop_table("continuity_alerts")

    op.drop_table("invitations")
    op.drop_table("placement_check_ins")
    op.drop_table("placement_events")
    op.drop_table("placements")

    op.drop_table("initiative_contacts")
    op.drop_table("initiative_tasks")
    op.drop_table("initiative_languages")
    op.drop_table("initiative_target_groups")
    op.drop_table("initiative_interests")
    op.drop_table("initiatives")

    op.drop_table("citizen_languages")
    op.drop_table("citizen_interests")
    op.drop_table("citizen_profiles")

    op.drop_table("audit_log")
    op.drop_table("notifications")
    op.drop_table("api_tokens")
    op.drop_table("user_work_areas")
    op.drop_table("users")

    op.drop_table("target_groups")
    op.drop_table("interest_categories")
    op.drop_table("languages")
    op.drop_table("neighbourhoods")
