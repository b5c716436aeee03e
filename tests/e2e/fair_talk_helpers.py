"""Helpers for the browser tests of Ordet rundt and Talechips: tables, skewed clocks, restarts."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import (
    PHONE,
    Room,
    wait_live,
)

PROGRAM = "fair_talk_demo"
ROUND_TITLE = "Ordet rundt: forventninger"
CHIPS_TITLE = "Talechips: mødekultur"

# A phone whose clock is wrong: Date (and Date.now) run `offset` ms off the real time.
SKEW = """(() => {
  const off = %d;
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) { super(realNow() + off); } else { super(...args); }
    }
    static now() { return realNow() + off; }
  }
  window.Date = SkewedDate;
})();"""


def create_workshop(page, tables: str = "Bord 1\nBord 2") -> tuple[int, str]:  # noqa: ANN001
    """Create a workshop from the fair-talk demo program with tables; returns (id, code)."""
    page.goto("/")
    page.get_by_label("Program").select_option(PROGRAM)
    page.get_by_label("Borde eller udvalg").fill(tables)
    page.get_by_role("button", name="Opret workshop").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    expect(page.locator("#screen .fragment")).to_be_attached()
    wait_live(page)
    return int(page.url.rsplit("/", 1)[-1]), page.locator("#screen").get_attribute("data-code")


def phone_at(room: Room, code: str, name: str, table: str, skew_minutes: float = 0):  # noqa: ANN201
    """A phone that joins at a table; its clock may be set `skew_minutes` off."""
    ctx = room.context(**PHONE)
    if skew_minutes:
        ctx.add_init_script(SKEW % int(skew_minutes * 60_000))
    page = ctx.new_page()
    page.goto(f"/j/{code}")
    page.get_by_label("Dit navn").fill(name)
    page.get_by_label(table, exact=True).check()
    page.get_by_role("button", name="Kom med").tap()
    expect(page.get_by_test_id("me")).to_contain_text(name)
    wait_live(page)
    if skew_minutes:
        off = page.evaluate("() => Date.now() - performance.timeOrigin - performance.now()")
        assert abs(off - skew_minutes * 60_000) < 5_000, f"the clock skew did not take: {off}"
    return ctx, page


def show_step(controls, title: str) -> None:  # noqa: ANN001
    controls.locator(".program .step-go", has_text=title).click()
    expect(controls.locator(".current-step h2")).to_have_text(title)


def seconds_left(locator) -> int:  # noqa: ANN001
    """The seconds a countdown shows ("1:05" -> 65)."""
    expect(locator).to_have_text(re.compile(r"^\d+:\d\d$"))
    minutes, secs = locator.inner_text().split(":")
    return int(minutes) * 60 + int(secs)


def same_time(*locators) -> list[int]:  # noqa: ANN002
    """Read countdowns on several screens; they must agree within one second.

    The screens are read one after another: on a busy machine the reads themselves can
    take seconds, so a disagreement is read again (a few times) before it fails.
    """
    for _attempt in range(5):
        shown = [seconds_left(loc) for loc in locators]
        if max(shown) - min(shown) <= 1:
            return shown
    raise AssertionError(f"screens disagree on the time left: {shown}")
