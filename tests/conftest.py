"""Fixtures: an app on a fresh SQLite file, clients for instructors and phones."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

import exercises
from facilitator import create_app, kinds
from facilitator.db import db
from facilitator.views.auth import create_instructor

PASSWORD = "korrekt-hest-batteri"
# Tests that use kinds or programs without an app need the registry the app factory fills.
kinds.register(exercises.KINDS.values())


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "SECRET_KEY": "test",
            "SOCKETIO_ASYNC_MODE": "threading",
            # Pushes render inline, so a test sees them as soon as the request returns.
            "LIVE_SYNC": True,
        }
    )
    yield app
    with app.app_context():
        db.remove()
    app.extensions["engine"].dispose()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page like a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'X-CSRFToken&#34;: &#34;([^&]+)&#34;|"X-CSRFToken": "([^"]+)"', html)
    if not match:
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)
    return match.group(1) or match.group(2)


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
    html = teacher.get(resp.location).get_data(as_text=True)
    code = re.search(r'data-code="([A-Z0-9]+)"', html).group(1)
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
