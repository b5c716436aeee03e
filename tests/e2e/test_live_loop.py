"""The acceptance flow in a real browser: QR code -> phones join -> scale -> anonymous reveal."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from .conftest import PHONE, PROJECTOR, Room, wait_live

pytestmark = pytest.mark.e2e

SCALE_TITLE = "Information og drøftelse"
STATEMENT = "drøftes i MED-udvalget, før beslutningen træffes"
NO_RELOAD = "() => window.__sameDocument === true"


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in a screenshot."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    texts = [r.text for r in results if r.valid]
    assert len(texts) == 1, f"expected one QR code, found {texts}"
    return texts[0]


def mark_document(page) -> None:  # noqa: ANN001
    """Mark the page's document: a reload would lose the mark."""
    page.evaluate("() => { window.__sameDocument = true; }")


def box(locator) -> dict:  # noqa: ANN001
    """The element's box; a live swap may replace the element just then, so look again."""
    for _attempt in range(5):
        expect(locator).to_be_visible()
        found = locator.bounding_box()
        if found:
            return found
    raise AssertionError(f"{locator} has no box")


def assert_apart(a, b) -> None:  # noqa: ANN001
    """Two elements do not overlap on the screen."""
    ra, rb = box(a), box(b)
    apart = (
        ra["x"] + ra["width"] <= rb["x"]
        or rb["x"] + rb["width"] <= ra["x"]
        or ra["y"] + ra["height"] <= rb["y"]
        or rb["y"] + rb["height"] <= ra["y"]
    )
    assert apart, f"{a} {ra} overlaps {b} {rb}"


def assert_on_screen(page, locator) -> None:  # noqa: ANN001
    """The element lies fully inside the viewport (the projector cannot scroll)."""
    r, vp = box(locator), page.viewport_size
    assert r["x"] >= 0 and r["y"] >= 0, (locator, r)
    assert r["x"] + r["width"] <= vp["width"] + 1, (locator, r)
    assert r["y"] + r["height"] <= vp["height"] + 1, (locator, r)


def answer(page, value: int) -> None:  # noqa: ANN001
    """Tap choice `value` (1-based) and wait until the phone shows it as saved."""
    choice = page.locator("button.choice").nth(value - 1)
    choice.tap()
    expect(page.locator("button.choice").nth(value - 1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".saved")).to_be_visible()


def test_live_loop(room: Room, server, screenshots) -> None:  # noqa: ANN001
    # The instructor logs in and creates a workshop from the demo program.
    instructor, controls = room.instructor(**PROJECTOR)
    workshop_id, code = room.create_workshop(controls, "demo")
    assert controls.url == f"{server.url}/w/{workshop_id}"
    expect(controls.get_by_test_id("joined")).to_have_text("0")
    wait_live(controls)

    # The projector opens in the same logged-in context, full HD.
    projector = room.window(instructor)
    projector.goto(f"/p/{code}")
    expect(projector.locator("body")).to_have_attribute("data-phase", "lobby")
    expect(projector.get_by_test_id("join-code")).to_have_text(code)
    wait_live(projector)
    projector.screenshot(path=screenshots / "projector-lobby.png")
    assert_apart(projector.locator("h1.display"), projector.locator(".join-panel"))
    assert_on_screen(projector, projector.locator(".join-panel"))

    # The QR code on the projector decodes to the join address.
    join_url = decode_qr(projector.locator(".qr").screenshot())
    assert join_url == f"http://127.0.0.1:{server.port}/j/{code}"

    # Three phones scan it and join in one screen.
    phones = []
    for n, name in enumerate(["Pia", "Søren", "Åse"]):
        ctx = room.context(**PHONE)
        page = ctx.new_page()
        page.goto(join_url)
        expect(page.get_by_role("heading", name="Kom med")).to_be_visible()
        if n == 0:
            page.screenshot(path=screenshots / "phone-join.png")
        page.get_by_label("Dit navn").fill(name)
        page.get_by_role("button", name="Kom med").tap()
        expect(page.get_by_test_id("me")).to_have_text(name)
        expect(page.get_by_role("heading", name="Du er med!")).to_be_visible()
        assert box(page.locator(".card"))["width"] > 300, "the phone's card is squeezed"
        wait_live(page)
        # Straight onto a WebSocket, no long-polling first (nginx spreads those by least_conn).
        transport = "() => window.facilitatorLive.socket.io.engine.transport.name"
        assert page.evaluate(transport) == "websocket"
        mark_document(page)
        phones.append(page)

    expect(projector.get_by_test_id("joined")).to_have_text("3")
    expect(controls.get_by_test_id("joined")).to_have_text("3")

    # The instructor presses Start / Næste until the first scale step.
    for _ in range(5):
        if controls.locator(".current-step h2").inner_text() == SCALE_TITLE:
            break
        before = controls.locator(".current-step h2").inner_text()
        controls.get_by_test_id("next").click()
        expect(controls.locator(".current-step h2")).not_to_have_text(before)
    expect(controls.locator(".current-step h2")).to_have_text(SCALE_TITLE)
    expect(controls.get_by_test_id("next")).to_contain_text("Næste")

    # Every phone shows the statement, pushed, without a reload.
    expect(projector.locator("h1.statement")).to_contain_text(STATEMENT)
    expect(projector.locator("body")).to_have_attribute("data-phase", "step")
    for page in phones:
        expect(page.locator(".scale-phone h1")).to_contain_text(STATEMENT)
        expect(page.locator("button.choice")).to_have_count(5)
        assert page.evaluate(NO_RELOAD), "the phone reloaded instead of being pushed the step"

    # Three answers: the projector counts them but shows no distribution.
    for page, value in zip(phones, [4, 5, 4], strict=True):
        answer(page, value)
    phones[0].screenshot(path=screenshots / "phone-scale-answered.png")
    expect(projector.get_by_test_id("answer-count")).to_have_text("3")
    expect(controls.get_by_test_id("controls-answers")).to_have_text("3")
    controls.get_by_role("button", name="Vis fordelingen").click()
    expect(controls.get_by_role("button", name="Skjul fordelingen")).to_be_visible()
    expect(projector.locator(".notice")).to_contain_text("mindst 5 svar")
    expect(projector.get_by_test_id("answer-count")).to_have_text("3")
    expect(projector.locator(".bars")).to_have_count(0)
    expect(projector.locator(".bar-count")).to_have_count(0)
    projector.screenshot(path=screenshots / "projector-scale-hidden.png")

    # Two latecomers join and answer: now the room sees the distribution.
    for name, value in [("Mette", 2), ("Ole", 4)]:
        _ctx, page = room.phone(join_url, name)
        expect(page.locator(".scale-phone h1")).to_contain_text(STATEMENT)
        answer(page, value)
        phones.append(page)

    expect(projector.get_by_test_id("answer-count")).to_have_text("5")
    bars = projector.locator(".bars .bar")
    expect(bars).to_have_count(5)
    counts = [int(c) for c in projector.locator(".bars .bar-count").all_inner_texts()]
    assert counts == [0, 1, 0, 3, 1]
    assert sum(counts) == 5
    # live.js turns data-height into a real height (the CSP allows no inline style).
    tallest = projector.locator(".bars .bar-fill").nth(3)
    expect(tallest).to_have_attribute("style", re.compile(r"height:\s*100%"))
    projector.screenshot(path=screenshots / "projector-scale-distribution.png")
    for part in (".bar-track", ".bar-label"):
        for n in range(5):
            located = projector.locator(f".bars {part}").nth(n)
            assert_on_screen(projector, located)
            assert_apart(located, projector.locator(".join-panel"))
    controls.screenshot(path=screenshots / "controls-scale.png", full_page=True)

    # A phone that reloads still sees its own answer.
    phone = phones[1]
    phone.reload()
    chosen = phone.locator("button.choice.chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(chosen).to_contain_text("Helt enig")
    expect(phone.locator('button.choice[aria-pressed="true"]')).to_have_count(1)
    expect(phone.locator(".saved")).to_contain_text("Helt enig")
