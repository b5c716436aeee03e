"""Refleksion in a real browser: postkort on day 1, a revealed shared answer, recall on day 2."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, join, show_step, wait_live, watch

pytestmark = pytest.mark.e2e

DAY1, DAY2 = "Overvej til i morgen", "Siden i går"
Q_PRIVATE = "Hvad tager du med dig fra i dag?"
Q_SHARED = "Hvad vil du gerne have mere af i morgen?"
IMG = "<img src=x onerror=alert(1)>"
PIA_PRIVATE = "At jeg tør sige min mening i udvalget"
OLE_PRIVATE = "Ole: at læse lokalaftalen igen"
PIA_REWRITTEN = "At sige min mening, også når lederen er uenig"


def create_with_groups(page, groups: list[str]) -> tuple[int, str]:  # noqa: ANN001
    page.goto("/")
    page.get_by_label("Program").select_option("reflection_demo")
    page.get_by_label("Titel").fill("MED-grunduddannelse, hold 4")
    page.get_by_label(re.compile("Borde eller udvalg")).fill("\n".join(groups))
    page.get_by_role("button", name="Opret workshop").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    return int(page.url.rsplit("/", 1)[-1]), page.locator("#screen").get_attribute("data-code")


def write(page, private: str = "", shared: str = "") -> None:  # noqa: ANN001
    """Fill in the postkort and save it; wait until the phone says it is saved."""
    if private:
        page.get_by_label(Q_PRIVATE).fill(private)
    if shared:
        page.get_by_label(Q_SHARED).fill(shared)
    page.get_by_role("button", name=re.compile("Gem mine svar|Gem ændringer")).tap()
    expect(page.get_by_test_id("rf-saved")).to_be_visible()


def test_reflection_day_one_reveal_and_day_two_recall(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    workshop_id, code = create_with_groups(controls, ["Bord 1", "Bord 2"])
    wait_live(controls)
    projector = room.window(instructor)
    watch(projector, watcher)
    projector.goto(f"/p/{code}")
    wait_live(projector)

    people = [("Pia", "Bord 1"), ("Ole", "Bord 1"), ("Åse", "Bord 2"), ("Bo", "Bord 2")]
    people.append(("Kim", "Bord 2"))
    pia, ole, aase, bo, kim = (join(room, code, n, g, watcher) for n, g in people)
    expect(controls.get_by_test_id("joined")).to_have_text("5")

    # Day 1: one private and one shared, anonymous question.
    show_step(controls, DAY1)
    expect(pia.get_by_label(Q_PRIVATE)).to_be_visible()
    expect(pia.get_by_text("Kun til dig")).to_be_visible()
    expect(pia.get_by_text("Vises på skærmen uden navn")).to_be_visible()
    pia.screenshot(path=screenshots / "reflection-phone-empty.png")
    write(pia, PIA_PRIVATE, IMG)
    write(ole, OLE_PRIVATE, "Flere cases fra vores egne arbejdspladser")
    write(aase, shared="Mere tid til at tale sammen ved bordene")
    write(bo, "Bo skriver kun privat")
    expect(projector.get_by_test_id("rf-total")).to_have_text("4")
    counts = controls.get_by_test_id("rf-controls-count")
    expect(counts.nth(0)).to_have_text("3")
    expect(counts.nth(1)).to_have_text("3")
    projector.screenshot(path=screenshots / "reflection-projector-questions.png")

    # Reveal: three shared answers are too few to show anonymously.
    controls.get_by_test_id("rf-show-1").click()
    expect(projector.get_by_test_id("rf-too-few")).to_contain_text("For få svar endnu")
    write(kim, shared="Pauser med frisk luft")
    write(bo, shared="Mere om arbejdsmiljø og trivsel")
    wall = projector.get_by_test_id("rf-wall")
    expect(wall.get_by_test_id("rf-note")).to_have_count(5)
    expect(wall.get_by_text(IMG, exact=True)).to_be_visible()  # literal text, no image
    assert wall.locator("img").count() == 0
    for name, _group in people:
        expect(wall).not_to_contain_text(name)
    for secret in (PIA_PRIVATE, OLE_PRIVATE, "Bo skriver kun privat"):
        expect(projector.locator("body")).not_to_contain_text(secret)
        expect(controls.locator("body")).not_to_contain_text(secret)
    expect(controls.locator("body")).not_to_contain_text("Pauser med frisk luft")
    projector.screenshot(path=screenshots / "reflection-projector-wall.png")
    controls.screenshot(path=screenshots / "reflection-controls.png", full_page=True)

    # The other phones never see Pia's private answer; a reload keeps her own.
    for page in (ole, aase, bo, kim):
        expect(page.locator("body")).not_to_contain_text(PIA_PRIVATE)
    pia.reload()
    wait_live(pia)
    expect(pia.get_by_label(Q_PRIVATE)).to_have_value(PIA_PRIVATE)
    expect(pia.get_by_label(Q_SHARED)).to_have_value(IMG)
    pia.screenshot(path=screenshots / "reflection-phone-saved.png", full_page=True)

    # Lock: the answers stay, the form goes.
    controls.get_by_role("button", name="Lås svarene").click()
    expect(ole.get_by_test_id("rf-locked")).to_be_visible()
    expect(ole.get_by_test_id("rf-answer").first).to_have_text(OLE_PRIVATE)
    expect(ole.locator("textarea")).to_have_count(0)

    # Day 2: "Siden i går" shows each phone its own day-1 answers, and only those.
    show_step(controls, DAY2)
    expect(projector.get_by_test_id("rf-projector")).to_contain_text(DAY2)
    expect(pia.get_by_test_id("rf-recall")).to_contain_text(f"Det skrev du under «{DAY1}»")
    expect(pia.get_by_test_id("rf-recall")).to_contain_text(PIA_PRIVATE)
    expect(pia.get_by_test_id("rf-recall")).to_contain_text(IMG)
    expect(pia.locator("body")).not_to_contain_text(OLE_PRIVATE)
    expect(ole.get_by_test_id("rf-recall")).to_contain_text(OLE_PRIVATE)
    expect(ole.locator("body")).not_to_contain_text(PIA_PRIVATE)
    expect(projector.locator("body")).not_to_contain_text(PIA_PRIVATE)
    pia.get_by_label("Hvad har du tænkt over siden i går?").fill("Jeg har talt med min leder")
    pia.get_by_role("button", name="Gem mine svar").tap()
    expect(pia.get_by_test_id("rf-saved")).to_be_visible()
    # Pia rewrites what she wrote yesterday; the recall shows her newest version, to her only.
    recall = pia.get_by_test_id("rf-recall")
    recall.get_by_text("Ret det, du skrev").tap()
    recall.get_by_label(Q_PRIVATE).fill(PIA_REWRITTEN)
    recall.get_by_role("button", name="Gem den nye version").tap()
    expect(recall.get_by_test_id("rf-recall-answer").first).to_have_text(PIA_REWRITTEN)
    expect(recall).to_contain_text("(rettet siden)")
    expect(pia.get_by_label("Hvad har du tænkt over siden i går?")).to_have_value(
        "Jeg har talt med min leder"
    )
    expect(ole.locator("body")).not_to_contain_text(PIA_REWRITTEN)
    expect(projector.locator("body")).not_to_contain_text(PIA_REWRITTEN)
    pia.screenshot(path=screenshots / "reflection-phone-recall.png", full_page=True)
    projector.screenshot(path=screenshots / "reflection-projector-day2.png")

    results = controls.request.get(f"/w/{workshop_id}/results.json").json()
    day1 = next(s for s in results["steps"] if s["title"] == DAY1)["result"]
    assert [q["answers"] for q in day1["questions"]] == [3, 5]
    assert PIA_PRIVATE not in str(results) and PIA_REWRITTEN not in str(results)
    assert IMG in day1["questions"][1]["texts"]
    assert not watcher.dialogs, watcher.dialogs
    assert not watcher.errors, watcher.errors
    assert not watcher.foreign, watcher.foreign
