"""Alembic environment for Flask-Migrate: the app's engine and the models' metadata.

Run through `flask db ...` (or flask_migrate's functions) inside an app context.
Options given to `Migrate(...)` in coprod_match/extensions.py (compare_type,
render_as_batch) take precedence over the defaults set here.
"""

import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

config = context.config

# The app configures its own loggers; alembic.ini must not switch them off.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# Besides Alembic's default comparisons, detect added and removed CHECK
# constraints. This works by name, which is reliable here because every check
# constraint is named through the naming convention in models/base.py. A changed
# CHECK expression under the same name is still not detected (Alembic cannot
# compare SQL text the database has rewritten): rename the constraint to change it.
AUTOGENERATE_PLUGINS = ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"]


def get_engine() -> sa.Engine:
    return current_app.extensions["migrate"].db.engine


def get_metadata() -> sa.MetaData:
    return current_app.extensions["migrate"].db.metadata


def render_item(type_, obj, autogen_context):
    """Write the app's TypeDecorators into migrations as the plain type they store.

    A migration is a snapshot and must not import app code that may change or
    vanish later: `UTCDateTime` becomes `sa.DateTime(timezone=True)`.
    """
    if (
        type_ == "type"
        and isinstance(obj, sa.types.TypeDecorator)
        and type(obj).__module__.startswith("coprod_match.")
    ):
        impl = obj.impl_instance
        if type(impl).__module__.startswith("sqlalchemy.sql"):
            return f"sa.{impl!r}"
    return False


def include_name(name, type_, parent_names) -> bool:
    """Leave out what the models cannot describe: SQLite's full-text table of the search and the
    tables FTS5 keeps beside it (migration 0018)."""
    return not (type_ == "table" and name is not None and name.startswith("initiative_search_fts"))


def configure_args() -> dict:
    args = {
        "target_metadata": get_metadata(),
        "render_item": render_item,
        "compare_type": True,
        # Safe to compare: the models set no server defaults, so any reported
        # difference is a real one (a default added in the database or the model).
        "compare_server_default": True,
        "autogenerate_plugins": AUTOGENERATE_PLUGINS,
        "include_name": include_name,
        "render_as_batch": True,  # SQLite alters tables by copying them
    }
    args.update(current_app.extensions["migrate"].configure_args)
    return args


def run_migrations_offline() -> None:
    """Write the SQL to stdout instead of running it (`flask db upgrade --sql`)."""
    url = get_engine().url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **configure_args())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    args = configure_args()

    def skip_empty_revision(context, revision, directives):
        # `flask db migrate` with no schema change writes no empty revision file.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    args.setdefault("process_revision_directives", None)
    if args["process_revision_directives"] is None:
        args["process_revision_directives"] = skip_empty_revision

    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copying and dropping it; with foreign keys
            # enforced, dropping a table that other rows point at fails (or cascades).
            # The PRAGMA only works outside a transaction, so it comes first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end the transaction SQLAlchemy began, so Alembic owns the next
        context.configure(connection=connection, **args)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if problems:
                raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
