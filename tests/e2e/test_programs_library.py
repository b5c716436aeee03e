"""A whole course from the library, in a real browser: MED-grunduddannelse dag 1, then dag 2.

Five phones join one workshop; the instructor walks every step of dag 1 from the lobby to the
last step, the phones do what each exercise asks, and every screen follows each step. Then
dag 2 is added to the same workshop (as on the course's second morning) and each phone gets
its own words from yesterday back: «Siden i går» and the personal goal.
"""

from __future__ import annotations

import tomllib

import pytest
from playwright.sync_api import expect

from facilitator.programs import LIBRARY

from .conftest import PROJECTOR, Room, Watch, wait_live, watch

pytestmark = [pytest.mark.e2e, pytest.mark.long]

NAMES = ["Anna", "Bo", "Cem", "Dea", "Eva"]


def steps_of(slug: str) -> list[dict]:
    return tomllib.loads((LIBRARY / f"{slug}.toml").read_text(encoding="utf-8"))["steps"]


def follow(controls, projector, phones, number: int, kind: str) -> None:  # noqa: ANN001
    """The instructor presses «Næste»; the projector and every phone hold step `number`."""
    controls.get_by_test_id("next").click()
    shown = f'.fragment[data-step="{number}"][data-kind="{kind}"]'
    expect(projector.locator(shown)).to_be_attached()
    for page in phones.values():
        expect(page.locator(shown)).to_be_attached()


def answer_scale(phones, controls, projector) -> None:  # noqa: ANN001
    for value, page in enumerate(phones.values(), start=1):
        page.locator("button.choice").nth(value - 1).tap()
        expect(page.locator("button.choice.chosen")).to_have_count(1)
    expect(projector.get_by_test_id("answer-count")).to_have_text(str(len(phones)))
    controls.get_by_role("button", name="Vis fordelingen").click()
    expect(projector.locator(".bars .bar")).to_have_count(5)


def run_interview(phones, controls, projector, goals: dict[str, str]) -> None:  # noqa: ANN001
    controls.get_by_role("button", name="Dan par", exact=True).click()
    for page in phones.values():
        expect(page.get_by_test_id("iv-partner")).to_be_visible()
    controls.get_by_role("button", name="Start interviewet").click()
    label = projector.get_by_test_id("iv-phase-label")
    expect(label).to_have_text("Tænketid")
    while label.inner_text() != "Skriv dit personlige mål":
        before = label.inner_text()
        skip = "Start første tur nu" if before == "Tænketid" else "Spring til næste"
        controls.get_by_role("button", name=skip).click()
        expect(label).not_to_have_text(before)
    for name, page in phones.items():
        page.get_by_label("Skriv dit personlige mål").fill(goals[name])
        page.get_by_role("button", name="Gem mit mål").tap()
        expect(page.get_by_test_id("iv-goal-saved")).to_be_visible()


def write_reflection(phones, texts: dict[str, str]) -> None:  # noqa: ANN001
    for name, page in phones.items():
        boxes = page.locator(".rf-question textarea")
        for i in range(boxes.count()):
            boxes.nth(i).fill(f"{texts[name]} ({i + 1})")
        page.get_by_role("button", name="Gem mine svar").tap()
        expect(page.get_by_test_id("rf-saved")).to_be_visible()


def post_notes(phones, prefix: str) -> None:  # noqa: ANN001
    for name, page in phones.items():
        form = page.get_by_test_id("ideas-add")
        form.get_by_label("Ny seddel").fill(f"{prefix} fra {name}")
        categories = form.locator(".ideas-cat input")
        if categories.count():
            categories.nth(NAMES.index(name) % categories.count()).check()
        form.get_by_role("button", name="Sæt sedlen op").tap()
        expect(page.locator(".ideas-phone")).to_contain_text(f"{prefix} fra {name}")


def test_med_grunduddannelse_day_one_then_day_two(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    _ctx, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    _workshop_id, code = room.create_workshop(controls, "med_grund_dag1", "MED-grund hold 7")
    wait_live(controls)
    projector = room.window(controls.context)
    watch(projector, watcher)
    projector.goto(f"/p/{code}")
    wait_live(projector)
    phones = {}
    for name in NAMES:
        _c, page = room.phone(f"/j/{code}", name)
        watch(page, watcher)
        phones[name] = page
    expect(projector.get_by_test_id("joined")).to_have_text(str(len(NAMES)))

    goals = {n: f"Mål: at {n} tør tage ordet i MED" for n in NAMES}
    tomorrow = {n: f"I morgen vil {n} spørge ind" for n in NAMES}
    day1 = steps_of("med_grund_dag1")
    for number, step in enumerate(day1, start=1):
        follow(controls, projector, phones, number, step["kind"])
        kind, title = step["kind"], step["title"]
        if kind == "scale":
            answer_scale(phones, controls, projector)
        elif kind == "interview":
            run_interview(phones, controls, projector, goals)
        elif kind == "reflection":
            texts = (
                tomorrow
                if title == "Overvej til i morgen"
                else {n: f"{n} om formålet" for n in NAMES}
            )
            write_reflection(phones, texts)
        elif kind == "ideas":
            post_notes(phones, f"Seddel {number}")
        elif kind == "round_robin":
            controls.get_by_role("button", name="Start runden").click()
            expect(phones["Anna"].get_by_test_id("rr-place")).to_be_visible()
        projector.screenshot(path=screenshots / f"library-dag1-{number:02d}-{kind}.png")
    phones["Anna"].screenshot(path=screenshots / "library-dag1-last-phone.png")

    # Day 2: the same workshop goes on with the next program; nobody joins again.
    controls.locator("summary", has_text="Fortsæt med et program").click()
    controls.locator("select[name=program]").last.select_option("med_grund_dag2")
    controls.get_by_role("button", name="Læg trinnene til").click()
    wait_live(controls)
    for offset, step in enumerate(steps_of("med_grund_dag2"), start=len(day1) + 1):
        follow(controls, projector, phones, offset, step["kind"])
        if step["title"] == "Siden i går":
            for name, page in phones.items():
                recall = page.get_by_test_id("rf-recall")
                expect(recall).to_contain_text(tomorrow[name])
                for other in NAMES:
                    if other != name:
                        expect(page.locator("body")).not_to_contain_text(tomorrow[other])
            projector.screenshot(path=screenshots / "library-dag2-siden-i-gaar.png")
            phones["Bo"].screenshot(path=screenshots / "library-dag2-siden-i-gaar-phone.png")
        if step["kind"] == "goal_followup":
            for name, page in phones.items():
                expect(page.get_by_test_id("gf-goal")).to_have_text(goals[name])
            expect(projector.locator("body")).not_to_contain_text(goals["Anna"])
            break
    assert not watcher.errors, watcher.errors
    assert not watcher.foreign, watcher.foreign
