"""Search across languages, accents and Dutch word forms; residents' names without accents.

- `initiative_search_texts`: one document per initiative with its title,
  description and tasks and every version of them, folded (lower case, no
  accents). PostgreSQL: a text search configuration `coprod_dutch` (Dutch
  stemming after `unaccent`, a trusted extension the database owner may
  create) and a GIN index on the document's vector. SQLite: an FTS5 table
  over the documents (external content), kept in step by three triggers.
- The trigram indexes on initiatives' title and description go: the search
  no longer reads those columns with LIKE (pg_trgm stays, for names).
- `users.search_name`: the display name folded, for "ayse" to find "Ayşe";
  a trigram index on PostgreSQL serves `LIKE '%ayse%'`.

Existing rows are filled in here with a copy of the folding of this day
(a migration is a snapshot: it does not import coprod_match/folding.py).
Written by hand after a generated draft.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 12:40:00
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_OWN_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
})
FTS_TRIGGERS = {
    "initiative_search_texts_ai": "AFTER INSERT ON initiative_search_texts BEGIN "
    "INSERT INTO initiative_search_fts (rowid, body) VALUES (new.initiative_id, new.body); END",
    "initiative_search_texts_ad": "AFTER DELETE ON initiative_search_texts BEGIN "
    "INSERT INTO initiative_search_fts (initiative_search_fts, rowid, body) "
    "VALUES ('delete', old.initiative_id, old.body); END",
    "initiative_search_texts_au": "AFTER UPDATE ON initiative_search_texts BEGIN "
    "INSERT INTO initiative_search_fts (initiative_search_fts, rowid, body) "
    "VALUES ('delete', old.initiative_id, old.body); "
    "INSERT INTO initiative_search_fts (rowid, body) VALUES (new.initiative_id, new.body); END",
}


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(_OWN_LETTERS).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_OWN_LETTERS)


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "initiative_search_texts",
        sa.Column("initiative_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_search_texts_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", name=op.f("pk_initiative_search_texts")),
    )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.String(length=120), nullable=True))

    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION coprod_dutch (COPY = dutch)")
        op.execute("ALTER TEXT SEARCH CONFIGURATION coprod_dutch "
                   "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem")
        op.execute("CREATE INDEX ix_initiative_search_texts_words ON initiative_search_texts "
                   "USING gin (to_tsvector('coprod_dutch'::regconfig, body))")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_users_search_name_trgm ON users USING gin (search_name gin_trgm_ops)")
        for column in ("title", "description"):
            op.execute(f"DROP INDEX IF EXISTS ix_initiatives_{column}_trgm")
    else:
        op.execute("CREATE VIRTUAL TABLE initiative_search_fts USING fts5(body, "
                   "content='initiative_search_texts', content_rowid='initiative_id', "
                   "tokenize='unicode61 remove_diacritics 2')")
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    _fill_in_existing_rows()


def _fill_in_existing_rows():
    connection = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("display_name"), sa.column("search_name"))
    names = [{"user_id": user_id, "folded": _fold(name)[:120]}
             for user_id, name in connection.execute(sa.select(users.c.id, users.c.display_name))]
    if names:  # one executemany, not a statement per person
        connection.execute(users.update().where(users.c.id == sa.bindparam("user_id"))
                           .values(search_name=sa.bindparam("folded")), names)

    texts = {}
    for query in (
        "SELECT id, title, description FROM initiatives",
        "SELECT initiative_id, title, description FROM initiative_versions",
        "SELECT initiative_id, title, '' FROM initiative_tasks",
        "SELECT t.initiative_id, v.title, '' FROM initiative_task_versions v "
        "JOIN initiative_tasks t ON t.id = v.task_id",
    ):
        for initiative_id, title, description in connection.execute(sa.text(query)):
            texts.setdefault(initiative_id, []).extend(part for part in (title, description) if part)
    documents = sa.table("initiative_search_texts", sa.column("initiative_id"), sa.column("body"))
    rows = [{"initiative_id": i, "body": _fold("\n".join(parts))} for i, parts in texts.items()]
    if rows:
        connection.execute(documents.insert(), rows)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for column in ("title", "description"):
            op.execute(f"CREATE INDEX ix_initiatives_{column}_trgm ON initiatives "
                       f"USING gin (lower({column}) gin_trgm_ops)")
        op.execute("DROP INDEX ix_users_search_name_trgm")
        op.execute("DROP INDEX ix_initiative_search_texts_words")
        op.execute("DROP TEXT SEARCH CONFIGURATION coprod_dutch")
        # unaccent stays: other objects may use it, and dropping it needs more rights.
    else:
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE initiative_search_fts")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("search_name")
    op.drop_table("initiative_search_texts")
