"""Where the phone stands: at the top of every new step, in place on updates to the same step,
at the row the instructor just revealed; and a tap made offline is kept and sent later."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, wait_live, watch

pytestmark = pytest.mark.e2e

AT_BOTTOM = "() => { window.scrollTo(0, document.documentElement.scrollHeight); return scrollY; }"


def step_of(page) -> str:  # noqa: ANN001
    return page.locator("#screen .fragment").get_attribute("data-step") or ""


def test_every_new_step_opens_at_its_top(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    _, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    room.create_workshop(controls, "med_grund_dag1")
    wait_live(controls)
    code = controls.locator("#screen").get_attribute("data-code")
    _, phone = room.phone(f"/j/{code}", "Hanne Østergård-Kristiansen")
    watch(phone, watcher)
    steps = controls.locator(".program .step-go").count() - 1  # the lobby is the first
    assert steps >= 10, steps
    scrolled = 0
    for number in range(1, steps + 1):
        before = phone.evaluate(AT_BOTTOM)
        scrolled += before > 0
        controls.get_by_test_id("next").click()
        phone.wait_for_function(
            "(n) => document.querySelector('#screen .fragment').dataset.step === String(n)",
            arg=number,
        )
        phone.wait_for_timeout(100)
        top = phone.evaluate("() => scrollY")
        assert top == 0, (number, step_of(phone), before, top)
    # The test means something only if the phone was down the page before most steps.
    assert scrolled >= 5, scrolled
    assert not watcher.errors, watcher.errors


def test_tip13_keeps_place_on_own_taps_and_shows_the_revealed_row(room: Room) -> None:  # noqa: ANN001
    watcher = Watch()
    _, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    room.create_workshop(controls, "med_tip13")
    code = controls.locator("#screen").get_attribute("data-code")
    wait_live(controls)
    _, phone = room.phone(f"/j/{code}", "Åse Ødegaard")
    watch(phone, watcher)
    controls.locator(".program .step-go", has_text="Tip en 13'er: MED").click()
    expect(phone.locator("[data-testid=tip13-row]")).to_have_count(13)

    # Own taps far down the coupon: the phone stays where the thumb is.
    for row in range(1, 14):
        button = phone.locator(f'#tip13-row-{row} button[data-answer="1"]')
        button.scroll_into_view_if_needed()
        before = phone.evaluate("() => scrollY")
        button.tap()
        expect(button).to_have_attribute("aria-pressed", "true")
        after = phone.evaluate("() => scrollY")
        assert abs(after - before) < 40, (row, before, after)
    assert phone.evaluate(AT_BOTTOM) > 2000

    # The instructor locks and reveals row 1: the phone brings row 1 into view.
    controls.get_by_role("button", name="Lås kuponerne").click()
    expect(phone.get_by_test_id("tip13-locked")).to_be_visible()
    phone.evaluate(AT_BOTTOM)
    controls.get_by_test_id("tip13-reveal-next").click()
    expect(phone.locator("#tip13-row-1 .tip13-verdict")).to_be_visible()
    phone.wait_for_timeout(200)
    box = phone.locator("#tip13-row-1").bounding_box()
    assert 0 <= box["y"] < 844 / 2, box
    controls.get_by_test_id("tip13-reveal-next").click()
    expect(phone.locator("#tip13-row-2 .tip13-verdict")).to_be_visible()
    phone.wait_for_timeout(200)
    box = phone.locator("#tip13-row-2").bounding_box()
    assert 0 <= box["y"] < 844 / 2, box
    # The scoreboard: the phone shows its own score, at the top of the coupon.
    phone.evaluate(AT_BOTTOM)
    controls.get_by_role("button", name="Vis alt og resultattavlen").click()
    expect(phone.get_by_test_id("tip13-score")).to_be_visible()
    phone.wait_for_timeout(200)
    box = phone.get_by_test_id("tip13-score").bounding_box()
    assert 0 <= box["y"] < 844 / 2, box
    assert not watcher.errors, watcher.errors


def test_a_tap_made_offline_is_kept_and_sent_when_back(room: Room) -> None:  # noqa: ANN001
    watcher = Watch()
    _, controls = room.instructor(**PROJECTOR)
    room.create_workshop(controls, "med_tip13")
    code = controls.locator("#screen").get_attribute("data-code")
    wait_live(controls)
    ctx, phone = room.phone(f"/j/{code}", "Bodil")
    watch(phone, watcher)
    controls.locator(".program .step-go", has_text="Tip en 13'er: MED").click()
    expect(phone.locator("[data-testid=tip13-row]")).to_have_count(13)

    ctx.set_offline(True)
    phone.wait_for_function("() => !window.facilitatorLive.socket.connected", timeout=20_000)
    button = phone.locator('#tip13-row-1 button[data-answer="X"]')
    button.tap()
    notice = phone.get_by_test_id("queued-notice")
    expect(notice).to_be_visible(timeout=20_000)
    expect(notice).to_have_text("Sendes, når forbindelsen er tilbage")
    expect(button).to_have_class(re.compile(r"\bqueued\b"))
    # A re-render while still offline keeps the mark on the tapped button.
    assert phone.evaluate("() => window.facilitatorOutbox.pending()") == 1

    ctx.set_offline(False)
    expect(notice).to_be_hidden(timeout=20_000)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("tip13-progress")).to_contain_text("1 af 13")
    # The server has it once: the controls count one coupon answer, after a reload too.
    phone.reload()
    wait_live(phone)
    expect(phone.locator('#tip13-row-1 button[data-answer="X"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert phone.evaluate("() => window.facilitatorOutbox.pending()") == 0
    # Offline, the browser logs the failed socket and request; no script may fail.
    assert not [e for e in watcher.errors if e.startswith("pageerror")], watcher.errors
