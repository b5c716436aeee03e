"""Ordet rundt på tid in real Chromium: two tables, skewed phone clocks, reconnects.

The restart mid-round is in test_round_robin_restart.py: a file of its own runs beside this one
in `make test`, which hands out whole files.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, wait_live, watch
from .fair_talk_helpers import (
    ROUND_TITLE,
    create_workshop,
    phone_at,
    same_time,
    show_step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.long]


def card(projector, table: str):  # noqa: ANN001, ANN201
    return projector.locator(f'[data-testid="rr-group"][data-group="{table}"]')


def clock(page):  # noqa: ANN001, ANN201
    return page.locator(".rr-phone .timer").first


def test_round_robin_at_two_tables(room: Room, screenshots) -> None:  # noqa: ANN001
    seen = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, seen)
    _wid, code = create_workshop(controls)
    projector = room.window(instructor)
    watch(projector, seen)
    projector.goto(f"/p/{code}")
    wait_live(projector)

    # Four phones at two tables; two of them have clocks minutes off the real time.
    _a, anna = phone_at(room, code, "Anna", "Bord 1")
    _b, bo = phone_at(room, code, "Bo", "Bord 1", skew_minutes=7)
    _c, cem = phone_at(room, code, "Cem", "Bord 2")
    dea_ctx, dea = phone_at(room, code, "Dea", "Bord 2", skew_minutes=-5)
    for page in (anna, bo, cem):
        watch(page, seen)
    offline = watch(dea, Watch())  # Dea's wifi drops below: network errors are expected

    show_step(controls, ROUND_TITLE)
    expect(anna.get_by_test_id("rr-phone")).to_have_attribute("data-status", "ready")
    expect(projector.locator(".rr-question")).to_contain_text("MED-udvalg får ud af i dag")
    controls.get_by_role("button", name="Start runden").click()

    # Think time: everybody sees where they are in the order.
    expect(anna.get_by_test_id("rr-place")).to_contain_text("Du starter")
    expect(bo.get_by_test_id("rr-place")).to_contain_text("Du er nr. 2 af 2")
    expect(dea.get_by_test_id("rr-place")).to_contain_text("Du er nr. 2 af 2")
    expect(projector.locator(".rr-think")).to_contain_text("Tænketid")
    same_time(projector.locator(".rr-think .timer"), clock(bo), clock(dea), clock(anna))
    controls.get_by_role("button", name="Start taletiden nu").click()

    # Both tables start at once: the first speaker's phone says "Din tur", the next is warned.
    expect(anna.get_by_test_id("rr-your-turn")).to_be_visible()
    expect(cem.get_by_test_id("rr-your-turn")).to_be_visible()
    expect(bo.get_by_test_id("rr-next")).to_be_visible()
    expect(dea.get_by_test_id("rr-next")).to_be_visible()
    expect(card(projector, "Bord 1").get_by_test_id("rr-speaker")).to_have_text("Anna")
    expect(card(projector, "Bord 2").get_by_test_id("rr-speaker")).to_have_text("Cem")
    assert bo.locator(".fragment").get_attribute("data-signal") == "next"

    # Every screen shows the same time left, whatever the phone's own clock says.
    for _ in range(3):
        shown = same_time(
            card(projector, "Bord 1").locator(".timer"),
            clock(anna),
            clock(bo),
            controls.locator('[data-testid="rr-control-row"][data-group="Bord 1"] .timer'),
        )
        assert 0 < shown[0] <= 20
    same_time(card(projector, "Bord 2").locator(".timer"), clock(cem), clock(dea))
    projector.screenshot(path=screenshots / "projector-round-robin.png")
    anna.screenshot(path=screenshots / "phone-round-robin-turn.png")
    bo.screenshot(path=screenshots / "phone-round-robin-next.png")

    # Bo's phone reloads mid-round: same place, same countdown.
    before = clock(bo).get_attribute("data-deadline")
    bo.reload()
    wait_live(bo)
    expect(bo.get_by_test_id("rr-next")).to_be_visible()
    # The very same deadline (a reload on a loaded machine may take more than a second).
    expect(clock(bo)).to_have_attribute("data-deadline", before)
    same_time(card(projector, "Bord 1").locator(".timer"), clock(bo))

    # Dea's wifi drops. Cem's time runs out meanwhile (no tap, no push: the deadline decides).
    dea_ctx.set_offline(True)
    dea.evaluate("() => window.facilitatorLive.socket.io.engine.close()")
    expect(cem.get_by_test_id("rr-after")).to_be_visible(timeout=25_000)
    expect(card(projector, "Bord 2").get_by_test_id("rr-speaker")).to_have_text("Dea")
    dea_ctx.set_offline(False)
    expect(dea.get_by_test_id("rr-your-turn")).to_be_visible()
    wait_live(dea)
    same_time(card(projector, "Bord 2").locator(".timer"), clock(dea))

    # Anna's turn has also ended by now; Bo speaks. He ends early.
    expect(bo.get_by_test_id("rr-your-turn")).to_be_visible()
    bo.get_by_role("button", name="Jeg er færdig").tap()
    expect(bo.get_by_test_id("rr-after")).to_be_visible()
    expect(card(projector, "Bord 1").get_by_test_id("rr-speaker")).to_have_text("✓ Færdig")

    # After the turn: one keyword, kept for later steps.
    anna.get_by_label("Skriv ét nøgleord").fill("Klare aftaler")
    anna.get_by_role("button", name="Gem nøgleord").tap()
    expect(anna.get_by_test_id("rr-keyword-saved")).to_contain_text("Klare aftaler")
    anna.screenshot(path=screenshots / "phone-round-robin-keyword.png")
    dea.get_by_role("button", name="Jeg står over").tap()
    expect(dea.get_by_test_id("rr-after")).to_contain_text("Du stod over")
    expect(projector.locator(".rr-postits")).to_contain_text("Klare aftaler")
    expect(card(projector, "Bord 2").locator(".rr-order")).to_contain_text("stod over")
    projector.screenshot(path=screenshots / "projector-round-robin-done.png")
    controls.screenshot(path=screenshots / "controls-round-robin.png", full_page=True)
    result = controls.request.get(controls.url + "/results.json").json()
    step = next(s for s in result["steps"] if s["title"] == ROUND_TITLE)["result"]
    assert step["keywords"][0]["text"] == "Klare aftaler"
    table1 = step["groups"][0]["turns"]
    assert [(t["name"], t["status"]) for t in table1] == [("Anna", "time"), ("Bo", "done")]
    assert table1[0]["seconds"] == 20
    assert seen.errors == [] and seen.foreign == [] and seen.dialogs == []
    unexpected = [e for e in offline.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert all("WebSocket connection" in e for e in unexpected), unexpected
