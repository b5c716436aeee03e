"""Engine, one session per request, and migrations."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: the PostgreSQL advisory lock that lets one process at a time migrate.
MIGRATION_LOCK = 0x66616369  # "faci"


class Base(DeclarativeBase):
    """Declarative base of every table."""


session_factory = sessionmaker(expire_on_commit=False)
# One session per greenlet/thread: the request's, or a background task's.
db: scoped_session[Session] = scoped_session(session_factory)


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL and a busy timeout so readers never block writers."""
    if url.startswith("sqlite"):
        _create_private(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql") and "+" not in url.split(":")[0]:
        url = url.replace("postgresql", "postgresql+psycopg", 1)
    # Per process: N processes may hold 2 x N x DB_POOL_SIZE of PostgreSQL's max_connections.
    pool = int(os.environ.get("DB_POOL_SIZE", "20"))
    return create_engine(url, pool_pre_ping=True, pool_size=pool, max_overflow=pool)


def _create_private(url: str) -> None:
    """Create a new SQLite file readable by its owner only; SQLite's -wal/-shm inherit it."""
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:" or url.startswith("sqlite:///:memory:"):
        return
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def alembic_config(url: str) -> AlembicConfig:
    """Alembic configuration pointing at the packaged migrations."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply all migrations to the database behind the engine."""
    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Processes starting together wait here in turn; the later ones find nothing to do.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def init_app(app: Flask) -> None:
    """Bind the session to the app's engine and close it after each request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    session_factory.configure(bind=engine)
    if app.config.get("AUTO_MIGRATE", True):
        upgrade(engine)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        db.remove()
