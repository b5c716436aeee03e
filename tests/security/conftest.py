"""Fixtures for the hostile-input tests: an app on SQLite, and on PostgreSQL when configured.

`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres` runs the same tests on a
throwaway database created beside the one named there, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from flask import Flask

from facilitator import create_app
from facilitator.db import db
from tests.conftest import TEST_SETTINGS
from tests.databases import Databases

PG_URL = os.environ.get("DATABASE_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL.startswith("postgresql") else [])


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Migrated SQLite copies, also when the suite's own databases are PostgreSQL."""
    found = Databases(tmp_path_factory.mktemp("hostile"))
    yield found
    found.close()


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path, sqlite_databases: Databases) -> Iterator[str]:
    """A fresh database: a copy of the migrated SQLite template, or a throwaway PostgreSQL
    database that the app migrates itself."""
    if request.param == "sqlite":
        yield sqlite_databases.new(tmp_path)
        return
    psycopg = pytest.importorskip("psycopg")
    name = f"facilitator_hostile_{secrets.token_hex(4)}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def hostile_app(database_url) -> Iterator[Flask]:
    """The real app on that database, pushing inline like the suite's `app` fixture."""
    migrated = database_url.startswith("sqlite")  # the template's copy
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, "AUTO_MIGRATE": not migrated})
    yield app
    with app.app_context():
        db.remove()
    app.extensions["engine"].dispose()


@pytest.fixture
def h_teacher(hostile_app):
    """The instructor, logged in, on the database under test."""
    from facilitator.views.auth import create_instructor
    from tests.conftest import PASSWORD

    from .world import OWNER, log_in

    with hostile_app.app_context():
        create_instructor("Ulla Underviser", OWNER, PASSWORD)
    return log_in(hostile_app, OWNER)


@pytest.fixture
def h_workshop(h_teacher) -> dict:
    """The demo workshop (info, scale, scale, info) with two groups."""
    from tests.conftest import make_workshop

    return make_workshop(h_teacher, program="demo", groups="Bord 1\nBord 2")
