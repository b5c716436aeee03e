"""A countdown on any step, in real browsers: one deadline on the projector and the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, show_step, wait_live

pytestmark = pytest.mark.e2e


def test_a_pause_counts_down_on_every_screen(room: Room, screenshots) -> None:  # noqa: ANN001
    _ctx, controls = room.instructor()
    workshop_id, code = room.create_workshop(controls, program="demo")
    wait_live(controls)
    projector = room.context(**PROJECTOR, storage_state=controls.context.storage_state()).new_page()
    projector.goto(f"/p/{code}")
    wait_live(projector)
    _phone_ctx, phone = room.phone(f"/j/{code}", "Åse Ørum")
    show_step(controls, "Velkommen")  # an info step: a pause is one with a countdown

    controls.locator(".countdown-controls summary").click()
    controls.get_by_label("Minutter").fill("15")
    controls.get_by_test_id("countdown-start").click()
    for page in (projector, phone, controls):
        expect(page.get_by_test_id("step-countdown").first).to_be_visible()
    controls.screenshot(path=screenshots / "countdown_controls.png")
    # The same deadline everywhere, ticking: 14:5x on every screen within a second or two.
    for page in (projector, phone):
        expect(page.locator(".step-countdown .timer")).to_contain_text("14:5")
        expect(page.locator(".step-countdown")).to_contain_text("til kl.")
    projector.screenshot(path=screenshots / "countdown_projector.png")
    phone.screenshot(path=screenshots / "countdown_phone.png")

    controls.get_by_test_id("countdown-pause").click()
    expect(projector.locator(".step-countdown")).to_contain_text("sat på pause")
    expect(phone.locator(".step-countdown")).to_contain_text("sat på pause")
    # The countdown stays on the projector only where it covers nothing the room reads.
    badge = projector.locator(".step-countdown").bounding_box()
    assert badge and badge["y"] < 200 and badge["x"] > 1000, badge
    assert workshop_id
