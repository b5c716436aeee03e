"""Test databases: migrated once per test session, copied for every test.

Running Alembic for every app cost a sixth of the non-browser suite. Instead one template
database is migrated when a session first needs it, and each test gets a copy:

- SQLite (the default): the template file is copied (a few hundred kilobytes).
- PostgreSQL, when DATABASE_URL points at a server: `CREATE DATABASE ... TEMPLATE ...`. The
  database named in DATABASE_URL is never touched; its server gets a template and copies, all
  named `facilitator_test_<run>_...`, all dropped when the session ends. Creating and dropping
  a database costs about a second on this machine, so a test's copy is emptied afterwards
  (its connections closed, every row deleted, ids restarted) and handed to a later test:
  that is the state of a fresh copy, since the migrations insert no rows.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from facilitator.db import make_engine, upgrade

SQLITE_NAME = "facilitator.db"


def postgres_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL server, else None (the tests use SQLite)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    if not url.startswith("postgresql"):
        raise RuntimeError(f"DATABASE_URL must be a postgresql:// URL for the tests, not {url!r}")
    return url


class Databases:
    """Hands out fresh, migrated databases; `close()` removes what is left of them."""

    def __init__(self, workdir: Path, server_url: str | None = None) -> None:
        self.workdir = workdir
        self.server_url = server_url
        self.run = secrets.token_hex(3)
        self.prefix = f"facilitator_test_{self.run}"
        self.count = 0
        self.template: str | None = None  # a file path (SQLite) or a database name (PostgreSQL)
        self.made: set[str] = set()
        self.free: list[str] = []  # emptied PostgreSQL copies, ready for the next test
        self.tables: list[str] = []  # the template's tables, Alembic's own aside
        self._conn = None  # one autocommit connection to the server's `postgres` database

    @property
    def postgres(self) -> bool:
        return self.server_url is not None

    # ---- the template ----------------------------------------------------------------------

    def _migrate(self, url: str) -> None:
        engine = make_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def _ensure_template(self) -> str:
        if self.template is not None:
            return self.template
        if self.postgres:
            name = f"{self.prefix}_template"
            self._admin(f'CREATE DATABASE "{name}"')
            self.made.add(name)
            self._migrate(self._url_of(name))
            self.tables = self._tables(name)
        else:
            path = self.workdir / "template.db"
            self._migrate(f"sqlite:///{path}")
            # Fold the write-ahead log into the file, so the file alone is the whole database.
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            for extra in ("-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            name = str(path)
        self.template = name
        return name

    # ---- copies ----------------------------------------------------------------------------

    def new(self, folder: Path) -> str:
        """The URL of a fresh migrated database (SQLite: `folder/facilitator.db`)."""
        template = self._ensure_template()
        if not self.postgres:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / SQLITE_NAME
            shutil.copyfile(template, target)
            return f"sqlite:///{target}"
        if self.free:
            return self._url_of(self.free.pop())
        self.count += 1
        name = f"{self.prefix}_{self.count}"
        # The default WAL_LOG strategy: FILE_COPY checkpoints twice, slow on a busy disk.
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.made.add(name)
        return self._url_of(name)

    def drop(self, url: str) -> None:
        """Done with a copy: PostgreSQL's is emptied for a later test; SQLite files stay."""
        if not self.postgres:
            return
        name = make_url(url).database
        if name not in self.made or name in self.free:
            return
        # Connections an app left open (a restarted app's engine, say) would block TRUNCATE.
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        try:
            self._empty(name)
        except Exception:  # an unusable copy is dropped, never handed on
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.discard(name)
            raise
        self.free.append(name)

    def close(self) -> None:
        for name in sorted(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()
        self.free.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # ---- PostgreSQL ------------------------------------------------------------------------

    def _url_of(self, database: str) -> str:
        return (
            make_url(self.server_url).set(database=database).render_as_string(hide_password=False)
        )

    def _admin(self, sql: str) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect("postgres")
        self._conn.execute(sql)

    def _connect(self, database: str):  # noqa: ANN202
        import psycopg

        url = make_url(self.server_url).set(drivername="postgresql", database=database)
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def _empty(self, database: str) -> None:
        """Delete every row and restart the ids: ~20 ms, where TRUNCATE takes ~0.4 s here."""
        import psycopg

        with self._connect(database) as conn:
            conn.execute("SET synchronous_commit = off")  # test data: no need to wait for disk
            try:
                with conn.transaction():
                    # Foreign keys are not checked while replicating (needs a superuser).
                    conn.execute("SET LOCAL session_replication_role = replica")
                    for table in self.tables:
                        conn.execute(f'DELETE FROM "{table}"')
                    for (sequence,) in conn.execute(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
                    ).fetchall():
                        conn.execute(f'ALTER SEQUENCE "{sequence}" RESTART')
            except psycopg.errors.InsufficientPrivilege:
                tables = ", ".join(f'"{t}"' for t in self.tables)
                conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")

    def _tables(self, database: str) -> list[str]:
        with self._connect(database) as conn:
            rows = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version' ORDER BY tablename"
            ).fetchall()
        return [row[0] for row in rows]
