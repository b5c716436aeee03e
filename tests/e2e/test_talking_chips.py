"""Talechips in real Chromium: two tables, taps, double taps, refills, reconnects.

The restart mid-conversation is in test_talking_chips_restart.py (a file of its own runs beside
this one in `make test`, which hands out whole files).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, wait_live, watch
from .fair_talk_helpers import (
    CHIPS_TITLE,
    create_workshop,
    phone_at,
    same_time,
    show_step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.long]


def card(projector, table: str):  # noqa: ANN001, ANN201
    return projector.locator(f'[data-testid="tc-group"][data-group="{table}"]')


def status(page):  # noqa: ANN001, ANN201
    return page.get_by_test_id("tc-phone")


def left(page, n: int) -> None:  # noqa: ANN001
    expect(page.get_by_test_id("tc-left")).to_contain_text(f"{n} af 2 chips tilbage")


def tap(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Jeg vil gerne sige noget").tap()


def test_talking_chips_at_two_tables(room: Room, screenshots) -> None:  # noqa: ANN001
    seen = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, seen)
    _wid, code = create_workshop(controls)
    projector = room.window(instructor)
    watch(projector, seen)
    projector.goto(f"/p/{code}")
    wait_live(projector)
    _a, anna = phone_at(room, code, "Anna", "Bord 1")
    _b, bo = phone_at(room, code, "Bo", "Bord 1")
    _c, cem = phone_at(room, code, "Cem", "Bord 1", skew_minutes=-4)
    _d, dea = phone_at(room, code, "Dea", "Bord 2")
    _e, eva = phone_at(room, code, "Eva", "Bord 2", skew_minutes=6)
    for page in (anna, bo, cem, dea, eva):
        watch(page, seen)

    show_step(controls, CHIPS_TITLE)
    expect(status(anna)).to_have_attribute("data-status", "ready")
    controls.get_by_role("button", name="Start samtalen").click()
    expect(projector.locator("body")).to_have_attribute("data-phase", "step")
    expect(card(projector, "Bord 1").get_by_test_id("tc-speaker")).to_have_text("Ordet er frit")
    expect(card(projector, "Bord 1").get_by_test_id("tc-group-left")).to_contain_text(
        "6 af 6 chips tilbage"
    )
    expect(status(anna)).to_have_attribute("data-status", "can")
    anna.screenshot(path=screenshots / "phone-chips-can.png")

    # Two phones tap right after each other: both get a place, first come first served.
    tap(anna)
    tap(bo)
    expect(anna.get_by_test_id("tc-speaking")).to_be_visible()
    expect(bo.get_by_test_id("tc-place")).to_have_text("Du er den næste")
    left(anna, 1)
    left(bo, 1)
    expect(card(projector, "Bord 1").get_by_test_id("tc-speaker")).to_have_text("Anna")

    # A nervous double tap spends one chip and takes one place.
    cem.evaluate(
        """() => { const b = document.querySelector('[data-testid="tc-tap"]');
                   b.click(); b.click(); }"""
    )
    expect(cem.get_by_test_id("tc-place")).to_have_text("Du er nr. 2 i køen")
    left(cem, 1)
    expect(card(projector, "Bord 1").get_by_test_id("tc-queue")).to_have_text("Derefter: Bo, Cem")
    expect(card(projector, "Bord 1").get_by_test_id("tc-group-left")).to_contain_text(
        "3 af 6 chips tilbage"
    )
    expect(card(projector, "Bord 2").get_by_test_id("tc-group-left")).to_contain_text(
        "4 af 4 chips tilbage"
    )
    cem.screenshot(path=screenshots / "phone-chips-queued.png")
    anna.screenshot(path=screenshots / "phone-chips-speaking.png")

    # The talk's countdown agrees on every screen, whatever the phones' clocks say.
    same_time(
        projector.locator(".tc-time .timer"),
        cem.locator(".tc-time .timer"),
        eva.locator(".tc-time .timer"),
        anna.locator(".tc-time .timer"),
    )

    # Bo's phone reloads while he waits: his place and chips are still there.
    bo.reload()
    wait_live(bo)
    expect(bo.get_by_test_id("tc-place")).to_have_text("Du er den næste")
    left(bo, 1)

    # Anna hands over from her phone; then the instructor moves on to the next speaker.
    anna.get_by_role("button", name="Jeg er færdig").tap()
    expect(bo.get_by_test_id("tc-speaking")).to_be_visible()
    expect(bo.locator(".fragment")).to_have_attribute("data-signal", "speak:0")
    expect(cem.get_by_test_id("tc-place")).to_have_text("Du er den næste")
    row = controls.locator('[data-testid="tc-control-row"][data-group="Bord 1"]')
    row.get_by_role("button", name="Næste taler").click()
    expect(cem.get_by_test_id("tc-speaking")).to_be_visible()
    expect(card(projector, "Bord 1").get_by_test_id("tc-speaker")).to_have_text("Cem")

    # Bord 2 spends every chip; with the last one, all chips come back by themselves.
    def speak(page) -> None:  # noqa: ANN001
        tap(page)
        expect(page.get_by_test_id("tc-speaking")).to_be_visible()
        page.get_by_role("button", name="Jeg er færdig").tap()
        expect(page.get_by_test_id("tc-speaking")).to_have_count(0)

    speak(dea)
    speak(dea)
    expect(dea.get_by_test_id("tc-empty")).to_be_visible()
    left(dea, 0)
    expect(dea.get_by_role("button", name="Stil et kort spørgsmål")).to_be_visible()
    dea.screenshot(path=screenshots / "phone-chips-empty.png")
    speak(eva)
    expect(dea.locator(".fragment")).to_have_attribute("data-signal", "wait:0")
    speak(eva)  # the table's last chip
    left(dea, 2)
    left(eva, 2)
    expect(status(dea)).to_have_attribute("data-status", "can")
    expect(dea.locator(".fragment")).to_have_attribute("data-signal", "wait:1")
    expect(card(projector, "Bord 2").get_by_test_id("tc-group-left")).to_contain_text(
        "4 af 4 chips tilbage"
    )

    # Per-person counts show only when the instructor turns them on.
    expect(projector.locator(".tc-people")).to_have_count(0)
    controls.get_by_role("button", name="Chips pr. person på skærmen: skjult").click()
    expect(card(projector, "Bord 1").locator(".tc-people")).to_contain_text("Anna")
    projector.screenshot(path=screenshots / "projector-chips.png")
    controls.screenshot(path=screenshots / "controls-chips.png", full_page=True)

    # The end: every table sees how the talk was spread.
    controls.get_by_role("button", name="Afslut og vis fordelingen").click()
    expect(anna.get_by_test_id("tc-my-turns")).to_contain_text("1 gang")
    expect(dea.get_by_test_id("tc-my-turns")).to_contain_text("2 gange")
    expect(card(projector, "Bord 1").get_by_test_id("tc-spread")).to_contain_text(
        "3 af 3 tog ordet"
    )
    expect(card(projector, "Bord 2").get_by_test_id("tc-spread")).to_contain_text("4 ture i alt")
    projector.screenshot(path=screenshots / "projector-chips-ended.png")
    dea.screenshot(path=screenshots / "phone-chips-ended.png")
    result = controls.request.get(controls.url + "/results.json").json()
    step = next(s for s in result["steps"] if s["title"] == CHIPS_TITLE)["result"]
    assert step["groups"][0]["turns"] == {"Anna": 1, "Bo": 1, "Cem": 1}
    assert step["groups"][1]["turns"] == {"Dea": 2, "Eva": 2}
    assert seen.errors == [] and seen.foreign == [] and seen.dialogs == []
