"""Alembic environment: runs on the app's connection, or on sqlalchemy.url from the CLI."""

from alembic import context
from sqlalchemy import create_engine

from facilitator import models  # noqa: F401  (registers the tables)
from facilitator.db import Base
from facilitator.media import models as media_models  # noqa: F401
from facilitator.plans import models as plan_models  # noqa: F401
from facilitator.programs import models as program_models  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:  # noqa: ANN001
    # batch mode lets later migrations alter SQLite tables
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
