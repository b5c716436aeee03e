"""Ordet rundt in Chromium: the instructor moves people in a table's order with named buttons,
before the start and during the think time; the phones and the projector follow."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe import violations
from .conftest import PROJECTOR, Room, Watch, wait_live, watch
from .fair_talk_helpers import ROUND_TITLE, create_workshop, phone_at, show_step

pytestmark = pytest.mark.e2e


def test_the_instructor_rearranges_a_tables_order(room: Room) -> None:
    seen = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, seen)
    _wid, code = create_workshop(controls)
    projector = instructor.new_page()
    watch(projector, seen)
    projector.goto(f"/p/{code}")
    wait_live(projector)
    phones = {n: phone_at(room, code, n, "Bord 1")[1] for n in ("Anna", "Bo", "Cem")}
    show_step(controls, ROUND_TITLE)

    order = controls.get_by_test_id("rr-arrange").filter(has_text="Anna")
    names = order.locator(".rr-arrange-name")
    expect(names).to_have_text(["Anna", "Bo", "Cem"])
    controls.get_by_role("button", name="Flyt Cem op").click()
    expect(names).to_have_text(["Anna", "Cem", "Bo"])
    assert violations(controls) == []
    controls.get_by_role("button", name="Start runden").click()
    expect(phones["Cem"].get_by_test_id("rr-place")).to_contain_text("Du er nr. 2 af 3")

    # During the think time nobody has spoken yet: Bo can still go first. The list is open
    # then, and stays open through the instructor's own clicks.
    running = controls.get_by_test_id("rr-arrange").filter(has_text="Anna")
    controls.get_by_role("button", name="Flyt Bo op").click()
    expect(running.locator(".rr-arrange-name")).to_contain_text(["Anna", "Bo", "Cem"])
    controls.get_by_role("button", name="Flyt Bo op").click()
    expect(phones["Bo"].get_by_test_id("rr-place")).to_contain_text("Du starter")
    expect(phones["Anna"].get_by_test_id("rr-place")).to_contain_text("Du er nr. 2 af 3")
    expect(projector.locator(".rr-group").first).to_contain_text("Starter: Bo")
    # Once the round runs, the speaker stays put and has no buttons.
    controls.get_by_role("button", name="Start taletiden nu").click()
    expect(phones["Bo"].get_by_test_id("rr-your-turn")).to_be_visible()
    expect(phones["Bo"].get_by_role("button", name="Jeg er færdig")).to_be_visible()  # demo: on
    expect(controls.get_by_role("button", name="Flyt Bo ned")).to_have_count(0)
    expect(controls.get_by_role("button", name="Flyt Anna op")).to_have_count(0)  # not past Bo
    controls.get_by_role("button", name="Flyt Cem op").click()
    expect(phones["Cem"].get_by_test_id("rr-next")).to_be_visible()
    expect(controls.get_by_role("button", name="Flyt Anna op")).to_be_visible()  # still open
    assert seen.errors == [] and seen.foreign == [], (seen.errors, seen.foreign)
