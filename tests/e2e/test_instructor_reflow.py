"""The instructor's pages reflow at 320 px (WCAG 1.4.10) and pass axe-core with zero violations,
as do the plan pages a committee uses after the day and the phone's way in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import violations
from .conftest import Room, Watch, show_step, wait_live, watch
from .room_helpers import Phone, answer

pytestmark = pytest.mark.e2e

NARROW = {"viewport": {"width": 320, "height": 640}}
WIDE = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDEST = """() => [...document.body.querySelectorAll('*')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(-3)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .join(', ')"""


def looked_at(page, label: str, found: list[str], screenshots) -> None:  # noqa: ANN001
    """The page is no wider than its 320 px screen and axe finds nothing on it."""
    page.wait_for_load_state()
    over = page.evaluate(WIDE)
    if over > 0:
        widest = page.evaluate(WIDEST)
        found.append(f"{label}: {over} px wider than the screen: {widest}")
    found += [f"{label}: {v}" for v in violations(page)]
    page.screenshot(path=screenshots / f"reflow320-{label}.png", full_page=True)


def test_instructor_pages_reflow_at_320_px(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    _, page = room.instructor(**NARROW)
    watch(page, watcher)
    found: list[str] = []
    looked_at(page, "index", found, screenshots)
    page.get_by_label("Program").select_option("handleplan_demo")
    page.get_by_label(re.compile("Borde eller udvalg")).fill("Bord 1\nBord 2")
    page.get_by_role("button", name="Opret workshop").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    code = page.locator("#screen").get_attribute("data-code")
    wait_live(page)
    looked_at(page, "controls-lobby", found, screenshots)

    phone = Phone(room.server.url, code).join("Søren Kjærsgaard-Ibsen", "Bord 1")
    for title in ("Fra snak til handling", "Hvad skal vi gøre noget ved?", "Jeres handleplan"):
        show_step(page, title)
        looked_at(
            page, "controls-" + re.sub(r"\W+", "-", title.lower()).strip("-"), found, screenshots
        )
    phone.add_plan_row(3)
    expect(page.get_by_test_id("controls-rows").first).to_have_text("1")

    page.goto("/plans")
    looked_at(page, "plans", found, screenshots)
    page.get_by_role("link", name="Åbn (redigér)").first.click()
    expect(page.locator(".pi-activity", has_text=answer(3, 140)[:40])).to_be_visible()
    looked_at(page, "plan-edit", found, screenshots)
    page.goto(page.url.rstrip("/") + "/meeting")
    looked_at(page, "plan-meeting", found, screenshots)

    page.goto("/programmer")
    looked_at(page, "programs", found, screenshots)
    page.get_by_role("link", name=re.compile("Demo: Fra idéer til handleplan")).first.click()
    looked_at(page, "program-library", found, screenshots)

    join = room.context(**NARROW).new_page()
    join.goto(f"/j/{code}")
    looked_at(join, "phone-join", found, screenshots)
    assert not found, "\n".join(found)
    assert not watcher.errors, watcher.errors
