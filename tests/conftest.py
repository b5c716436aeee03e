"""Fixtures: an app on a fresh migrated database, clients for instructors and phones.

The database is a copy of a template migrated once per session (tests/databases.py): SQLite
by default, PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from jinja2 import BytecodeCache
from sqlalchemy import event

import exercises
from facilitator import create_app, kinds, live
from facilitator.db import db
from facilitator.models import Workshop
from facilitator.views.auth import create_instructor
from tests.databases import Databases, postgres_url
from tests.url_rules import share_url_rules

PASSWORD = "korrekt-hest-batteri"
# Tests that use kinds or programs without an app need the registry the app factory fills.
kinds.register(exercises.KINDS.values())
# Production hashes with scrypt (~0.3 s a hash here); one PBKDF2 round keeps the tests quick.
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
# What every test app runs with; a test's own app (a restart, another database) starts here.
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test",
    "SOCKETIO_ASYNC_MODE": "threading",
    # Pushes render inline, so a test sees them as soon as the request returns.
    "LIVE_SYNC": True,
    "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
    # A log line per request, formatted and captured, is a tenth of a quick test's time;
    # the request log has tests of its own (tests/server/test_ops.py).
    "REQUEST_LOG": False,
    # A test process makes hundreds of apps: nothing of theirs may be frozen for good.
    "GC_TUNE": False,
}


share_url_rules()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first: `make test` runs files in parallel, and a long file started last is the
    one everybody waits for. Browser tests wait on pages and timers more than they compute."""

    # Among the quick files, those with the most tests first (what xdist itself would do,
    # tests/schedule.py turns its reordering off): the short ones even out the end.
    per_file: dict[str, int] = {}
    for item in items:
        per_file[item.nodeid.split("::")[0]] = per_file.get(item.nodeid.split("::")[0], 0) + 1

    def weight(item: pytest.Item) -> tuple[int, int]:
        if item.get_closest_marker("long"):
            return (0, 0)
        if item.get_closest_marker("e2e") or item.get_closest_marker("server"):
            return (1, 0)
        return (2, -per_file[item.nodeid.split("::")[0]])

    items.sort(key=weight)  # stable: each file keeps its own order


def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    """`--dist loadfile` as `make test` runs it, long files kept apart (tests/schedule.py)."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from tests.schedule import HeavyApart

    # xdist would otherwise put the files with the most tests first (`--loadscope-reorder`, its
    # default): the one-test browser files of minutes came last, whatever the collection said.
    config.option.loadscopereorder = False
    return HeavyApart(config, log)


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory for every app of the test session.

    Each app has its own Jinja environment, so each test compiled every template it rendered
    again. Jinja's bytecode cache (a documented option) checks the template source, so an
    edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:  # noqa: ANN001
        if (data := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:  # noqa: ANN001
        self.store[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedBytecode()}


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """The session's template database and its per-test copies."""
    found = Databases(tmp_path_factory.mktemp("databases"), postgres_url())
    try:
        yield found
    finally:
        found.close()


@pytest.fixture
def app(request, tmp_path, databases: Databases) -> Iterator[Flask]:
    """The app on a fresh copy of the template; `@pytest.mark.settings(KEY=value)` adds to
    TEST_SETTINGS what a test needs at start-up."""
    url = databases.new(tmp_path)
    marker = request.node.get_closest_marker("settings")
    extra = marker.kwargs if marker else {}
    # AUTO_MIGRATE off: a copy of the migrated template.
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": url, "AUTO_MIGRATE": False, **extra})
    yield app
    with app.app_context():
        db.remove()
    app.extensions["engine"].dispose()
    databases.drop(url)
    # Pushes a test scheduled and never ran are the process's: the next app reuses the ids.
    for state in (live._pending, live._last_flush, live._flushed):
        state.clear()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, as any page of it would carry.

    Made by Flask-WTF itself in a request context that holds the client's session, so no page
    is fetched for it; `path` is kept for the callers that name the page they came from.
    """
    app = client.application
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    # A fresh app context: Flask-WTF caches the token in `g`, which must not be another client's.
    with client.session_transaction() as kept, app.app_context(), app.test_request_context(path):
        session.update(kept)
        token = generate_csrf()
        kept[field] = session[field]
    return token


def post(client: FlaskClient, path: str, data: dict | None = None, page: str = "/login", **kw):
    """POST like htmx does: with the CSRF header of the client's session."""
    headers = {"X-CSRFToken": csrf_token(client, page), "HX-Request": "true"}
    headers.update(kw.pop("headers", {}))
    return client.post(path, data=data or {}, headers=headers, **kw)


@pytest.fixture
def instructor(app):
    with app.app_context():
        return create_instructor("Ulla Underviser", "ulla@example.dk", PASSWORD)


@pytest.fixture
def teacher(app, instructor) -> FlaskClient:
    """A client logged in as the instructor."""
    client = app.test_client()
    token = csrf_token(client, "/login")
    resp = client.post(
        "/login", data={"email": "ulla@example.dk", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302
    return client


def make_workshop(teacher: FlaskClient, program: str = "demo", groups: str = "") -> dict:
    """Create a workshop through the UI and return its id and join code."""
    resp = post(
        teacher, "/workshops", {"program": program, "title": "Test", "groups": groups}, page="/"
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    workshop_id = int(resp.location.rstrip("/").split("/")[-1])
    with teacher.application.app_context():
        code = db.get(Workshop, workshop_id).code
    return {"id": workshop_id, "code": code}


def join(app: Flask, code: str, name: str = "Pia", group: str | None = None) -> FlaskClient:
    """A phone that joined the workshop."""
    phone = app.test_client()
    data = {"name": name, "csrf_token": csrf_token(phone, f"/j/{code}")}
    if group is not None:
        data["group"] = group
    resp = phone.post(f"/j/{code}", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return phone


@pytest.fixture
def workshop(teacher) -> dict:
    return make_workshop(teacher)


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block (the pushes' too)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(app.extensions["engine"], "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.extensions["engine"], "before_cursor_execute", note)


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis (the server mode's queue and limits); the test is skipped without."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on this machine")
    return REDIS_URL
