"""Tip en 13'er in a real browser: two groups, four phones, own coupons, group coupons, reveal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, join, show_step, wait_live, watch

pytestmark = pytest.mark.e2e

STEP = "Tip en 13'er: MED-grunduddannelse"
# The shipped coupon's right answers, row 1 to 13.
KEY = ["1", "1", "2", "X", "2", "1", "2", "X", "1", "2", "X", "X", "1"]


def create_with_groups(page, groups: list[str]) -> tuple[int, str]:  # noqa: ANN001
    page.goto("/")
    page.get_by_label("Program").select_option("med_tip13")
    page.get_by_label("Titel").fill("MED-grunduddannelse, hold 3")
    page.get_by_label(re.compile("Borde eller udvalg")).fill("\n".join(groups))
    page.get_by_role("button", name="Opret workshop").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    return int(page.url.rsplit("/", 1)[-1]), page.locator("#screen").get_attribute("data-code")


def tap(page, row: int, answer: str) -> None:  # noqa: ANN001
    """Tap 1, X or 2 in a row and wait until the phone shows it chosen."""
    page.locator(f'#tip13-row-{row} button[data-answer="{answer}"]').tap()
    expect(page.locator(f'#tip13-row-{row} button[data-answer="{answer}"]')).to_have_attribute(
        "aria-pressed", "true"
    )


def pressed(page) -> dict[int, str]:  # noqa: ANN001
    found = page.locator('button.tip13-choice[aria-pressed="true"]')
    return {int(b.get_attribute("data-row")): b.get_attribute("data-answer") for b in found.all()}


def test_tip13_two_groups_four_phones(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    workshop_id, code = create_with_groups(controls, ["Bord 1", "Bord 2"])
    wait_live(controls)
    projector = room.window(instructor)
    watch(projector, watcher)
    projector.goto(f"/p/{code}")
    wait_live(projector)

    pia = join(room, code, "Pia", "Bord 1", watcher)
    ole = join(room, code, "Ole", "Bord 1", watcher)
    aase = join(room, code, "Åse", "Bord 2", watcher)
    bo = join(room, code, "Bo", "Bord 2", watcher)
    phones = [pia, ole, aase, bo]
    expect(controls.get_by_test_id("joined")).to_have_text("4")

    show_step(controls, STEP)
    for page in phones:
        expect(page.locator("[data-testid=tip13-row]")).to_have_count(13)
        expect(page.get_by_test_id("tip13-progress")).to_contain_text("0 af 13")
    expect(projector.get_by_test_id("tip13-done")).to_have_text("0")

    # Own coupons: Pia fills hers with the key, the others a few rows.
    for row, answer in enumerate(KEY, start=1):
        tap(pia, row, answer)
    expect(pia.get_by_test_id("tip13-progress")).to_contain_text("13 af 13")
    tap(ole, 1, "2")
    tap(ole, 2, "1")
    tap(ole, 2, "X")  # changed his mind
    tap(aase, 1, "1")
    tap(bo, 3, "2")
    expect(projector.get_by_test_id("tip13-done")).to_have_text("1")
    expect(controls.get_by_test_id("tip13-controls-done")).to_have_text("1")
    pia.screenshot(path=screenshots / "tip13-phone-own.png")
    projector.screenshot(path=screenshots / "tip13-projector-own.png")

    # A reload keeps the answers.
    ole.reload()
    wait_live(ole)
    assert pressed(ole) == {1: "2", 2: "X"}
    expect(ole.get_by_test_id("tip13-progress")).to_contain_text("2 af 13")

    # The group coupons: what one member taps, the other sees at once (no reload).
    controls.get_by_role("button", name="Videre til bordets kupon").click()
    for page in phones:
        expect(page.locator(".tip13-head .kicker")).to_contain_text("bordets kupon")
    ole.evaluate("() => { window.__sameDocument = true; }")
    tap(pia, 1, "1")
    expect(ole.locator('#tip13-row-1 button[data-answer="1"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    tap(ole, 2, "X")
    expect(pia.locator('#tip13-row-2 button[data-answer="X"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert ole.evaluate("() => window.__sameDocument === true"), "Ole's phone reloaded"
    expect(ole.locator("#tip13-row-1 .tip13-mine")).to_contain_text("Dit eget svar: 2")
    tap(pia, 3, "1")  # wrong: row 3 is 2
    tap(aase, 1, "2")  # wrong: row 1 is 1
    tap(bo, 2, "X")  # wrong: row 2 is 1
    tap(bo, 3, "2")  # right
    expect(aase.locator('#tip13-row-3 button[data-answer="2"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert pressed(aase) == {1: "2", 2: "X", 3: "2"}
    expect(projector.get_by_test_id("tip13-groups")).to_contain_text("3 af 13")
    expect(controls.get_by_test_id("tip13-controls-groups")).to_contain_text("Bord 1")
    ole.screenshot(path=screenshots / "tip13-phone-group.png")
    controls.screenshot(path=screenshots / "tip13-controls-group.png")
    projector.screenshot(path=screenshots / "tip13-projector-groups.png")

    # Lock: the buttons go inert, and a forced tap is refused by the server.
    controls.get_by_role("button", name="Lås kuponerne").click()
    expect(projector.get_by_test_id("tip13-locked")).to_be_visible()
    expect(bo.get_by_test_id("tip13-locked")).to_be_visible()
    expect(bo.locator("button.tip13-choice").first).to_be_disabled()
    bo.evaluate(
        "() => document.querySelectorAll('button.tip13-choice').forEach(b => b.disabled = false)"
    )
    bo.locator('#tip13-row-3 button[data-answer="1"]').tap()
    expect(bo.get_by_test_id("phone-error")).to_contain_text("låst")
    assert pressed(bo)[3] == "2"

    # Reveal two rows.
    controls.get_by_test_id("tip13-reveal-next").click()
    expect(projector.get_by_test_id("tip13-row-number")).to_have_text("1")
    controls.get_by_test_id("tip13-reveal-next").click()
    expect(projector.get_by_test_id("tip13-row-number")).to_have_text("2")
    expect(projector.get_by_test_id("tip13-statement")).to_contain_text("hedder det")
    expect(projector.get_by_test_id("tip13-option-1")).to_contain_text("Rigtigt svar")
    expect(projector.get_by_test_id("tip13-explanation")).to_contain_text("medindflydelse")
    expect(projector.get_by_test_id("tip13-reference")).to_contain_text("§ 7")
    expect(projector.get_by_test_id("tip13-groups-X")).to_have_text("2")  # both groups said X
    projector.screenshot(path=screenshots / "tip13-projector-reveal.png")
    # Row 2's right answer is 1 (medindflydelse): both groups said X.
    expect(ole.get_by_test_id("tip13-latest")).to_contain_text("Ikke rigtigt")
    expect(ole.get_by_test_id("tip13-running")).to_contain_text("Rigtige indtil nu: 1 af 2")
    expect(aase.get_by_test_id("tip13-running")).to_contain_text("Rigtige indtil nu: 0 af 2")
    ole.screenshot(path=screenshots / "tip13-phone-reveal.png")

    # The scoreboard: Bord 1 has rows 1 (and 2 wrong, 3 wrong); Bord 2 has row 3.
    controls.get_by_role("button", name="Vis alt og resultattavlen").click()
    board = projector.get_by_test_id("tip13-board")
    expect(board.locator("li")).to_have_count(2)
    expect(board.locator("li").nth(0)).to_contain_text("1.")
    expect(board).to_contain_text("delt")  # 1 right each: a shared first place
    expect(projector.get_by_test_id("tip13-repeat")).to_be_visible()
    expect(pia.get_by_test_id("tip13-score")).to_contain_text("delt 1. plads af 2")
    projector.screenshot(path=screenshots / "tip13-projector-board.png")
    pia.screenshot(path=screenshots / "tip13-phone-board.png", full_page=True)
    controls.screenshot(path=screenshots / "tip13-controls.png", full_page=True)

    # After everything: a reload still shows the group coupon and the score.
    aase.reload()
    wait_live(aase)
    assert pressed(aase) == {1: "2", 2: "X", 3: "2"}
    expect(aase.get_by_test_id("tip13-score")).to_contain_text("1 rigtig af 13")

    results = controls.request.get(f"/w/{workshop_id}/results.json").json()
    tip = next(s for s in results["steps"] if s["kind"] == "tip13")["result"]
    assert [(g["name"], g["score"], g["place"], g["shared"]) for g in tip["groups"]] == [
        ("Bord 1", 1, 1, True),
        ("Bord 2", 1, 1, True),
    ]
    # A 422 is the forced tap on the locked coupon, refused on purpose above.
    errors = [e for e in watcher.errors if "status of 422" not in e]
    assert not errors, errors
    assert not watcher.foreign, watcher.foreign
