"""Ordet rundt goes on after a server restart, with a pause and a participant without a phone.

Apart from test_round_robin.py so that `make test`, which hands out whole files, runs the two
long tests side by side.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.live_server import LiveServer

from .conftest import PROJECTOR, Room, wait_live
from .fair_talk_helpers import (
    ROUND_TITLE,
    create_workshop,
    phone_at,
    same_time,
    show_step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.long]


def test_round_robin_goes_on_after_a_server_restart(
    own_room: Room,
    own_server: LiveServer,
    screenshots,  # noqa: ANN001
) -> None:
    instructor, controls = own_room.instructor(**PROJECTOR)
    wid, code = create_workshop(controls)
    projector = own_room.window(instructor)
    projector.goto(f"/p/{code}")
    _a, anna = phone_at(own_room, code, "Anna", "Bord 1")
    _b, bo = phone_at(own_room, code, "Bo", "Bord 1", skew_minutes=3)
    # Jens has no phone: the instructor adds him and speaks for him when it is his turn.
    controls.get_by_text("Tilføj deltager uden telefon").first.click()
    controls.get_by_label("Navn", exact=True).fill("Jens")
    controls.get_by_role("button", name="Tilføj deltager uden telefon").click()
    expect(controls.get_by_text("Du svarer for")).to_be_visible()
    controls.goto(f"/w/{wid}")
    wait_live(controls)
    show_step(controls, ROUND_TITLE)
    controls.get_by_role("button", name="Start runden").click()
    controls.get_by_role("button", name="Start taletiden nu").click()
    expect(anna.get_by_test_id("rr-your-turn")).to_be_visible()
    timer = anna.locator(".rr-phone .timer").first

    # A pause freezes every countdown; "Fortsæt" runs on from where it stood.
    controls.get_by_role("button", name="Pause").click()
    expect(timer).to_have_attribute("data-paused", "1")
    expect(projector.get_by_test_id("rr-paused")).to_be_visible()
    frozen = timer.inner_text()
    anna.wait_for_timeout(1500)  # real time passing is the point here
    assert timer.inner_text() == frozen
    controls.screenshot(path=screenshots / "controls-round-robin-paused.png", full_page=True)
    controls.get_by_role("button", name="Fortsæt").click()
    expect(timer).to_have_attribute("data-deadline", re.compile(r"^\d+$"))
    # Headroom: on a loaded machine a restart can outlast Anna's 20 s, and then the round
    # rightly moves on to Bo with a new deadline.
    more = controls.locator('[data-testid="rr-control-row"][data-group="Bord 1"]')
    for _ in range(2):
        before = timer.get_attribute("data-deadline")
        more.get_by_role("button", name="+30 s").click()
        expect(timer).not_to_have_attribute("data-deadline", before)
    deadline = timer.get_attribute("data-deadline")

    own_server.stop()
    expect(anna.locator(".offline-notice")).to_be_visible()
    own_server.start()
    # Every screen comes back by itself, to the same deadline.
    expect(anna.locator(".offline-notice")).to_be_hidden(timeout=20_000)
    expect(bo.locator(".offline-notice")).to_be_hidden(timeout=20_000)
    for page in (anna, projector):
        expect(page.locator(".timer[data-deadline]").first).to_have_attribute(
            "data-deadline", deadline
        )
    same_time(
        anna.locator(".rr-phone .timer").first,
        bo.locator(".rr-phone .timer").first,
        projector.locator('[data-testid="rr-group"] .timer').first,
    )
    # And the round goes on: Anna hands over, Bo's phone says it is his turn.
    anna.get_by_role("button", name="Jeg er færdig").tap()
    expect(bo.get_by_test_id("rr-your-turn")).to_be_visible()
    expect(projector.get_by_test_id("rr-speaker").first).to_have_text("Bo")
    bo.get_by_role("button", name="Jeg er færdig").tap()
    expect(projector.get_by_test_id("rr-speaker").first).to_have_text("Jens")
    controls.get_by_role("link", name="Svar for Jens").click()
    expect(controls.get_by_test_id("rr-your-turn")).to_be_visible()
    controls.get_by_role("button", name="Jeg er færdig").click()
    expect(controls.get_by_test_id("rr-after")).to_be_visible()
    expect(projector.get_by_test_id("rr-speaker").first).to_have_text("✓ Færdig")
