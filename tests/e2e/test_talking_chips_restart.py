"""Talechips: the queue survives a server restart.

Apart from test_talking_chips.py so that `make test`, which hands out whole files, runs the two
long tests side by side.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.live_server import LiveServer

from .conftest import PROJECTOR, Room
from .fair_talk_helpers import (
    CHIPS_TITLE,
    create_workshop,
    phone_at,
    same_time,
    show_step,
)
from .test_talking_chips import card, left, tap

pytestmark = [pytest.mark.e2e, pytest.mark.long]


def test_talking_chips_queue_survives_a_server_restart(
    own_room: Room,
    own_server: LiveServer,
) -> None:
    instructor, controls = own_room.instructor(**PROJECTOR)
    _wid, code = create_workshop(controls)
    projector = own_room.window(instructor)
    projector.goto(f"/p/{code}")
    _a, anna = phone_at(own_room, code, "Anna", "Bord 1")
    _b, bo = phone_at(own_room, code, "Bo", "Bord 1", skew_minutes=2)
    show_step(controls, CHIPS_TITLE)
    controls.get_by_role("button", name="Start samtalen").click()
    tap(anna)
    expect(anna.get_by_test_id("tc-speaking")).to_be_visible()
    tap(bo)
    expect(bo.get_by_test_id("tc-place")).to_have_text("Du er den næste")
    deadline = projector.locator(".tc-time .timer").get_attribute("data-deadline")

    own_server.stop()
    expect(bo.locator(".offline-notice")).to_be_visible()
    own_server.start()
    expect(bo.locator(".offline-notice")).to_be_hidden(timeout=20_000)
    expect(anna.locator(".offline-notice")).to_be_hidden(timeout=20_000)
    expect(projector.locator(".tc-time .timer")).to_have_attribute("data-deadline", deadline)
    expect(bo.get_by_test_id("tc-place")).to_have_text("Du er den næste")
    left(bo, 1)
    same_time(projector.locator(".tc-time .timer"), bo.locator(".tc-time .timer"))
    anna.get_by_role("button", name="Jeg er færdig").tap()
    expect(bo.get_by_test_id("tc-speaking")).to_be_visible()
    expect(card(projector, "Bord 1").get_by_test_id("tc-speaker")).to_have_text("Bo")
