"""Fixtures of this folder: the plan tests' room (two tables, an idea board, a plan step)."""

from __future__ import annotations

import pytest

from tests.conftest import post
from tests.mail_server import smtp  # noqa: F401  (a shared fixture: a real SMTP server)
from tests.plan_room import ROW, plans_of, room, send  # noqa: F401  (room: a shared fixture)


@pytest.fixture
def plan(app, teacher, room):  # noqa: F811  (room is the fixture imported above)
    send(room["pia"], room, "/items", {**ROW, "deadline": "2026-03-01"})
    send(room["pia"], room, "/items", {"activity": "Trivselsdialog på personalemødet"})
    post(teacher, f"/plan/live/{room['step']}/links", page="/")
    return next(p for p in plans_of(app, room) if p.group_name == "Bord 1")


def committee(app, plan, name: str = "Åse"):
    client = app.test_client()
    resp = post(
        client, f"/plan/{plan.edit_token}/me", {"by_name": name}, page=f"/plan/{plan.edit_token}"
    )
    assert resp.status_code == 302
    return client
